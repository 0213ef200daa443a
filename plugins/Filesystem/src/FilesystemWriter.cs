namespace Registry.Storage.Drivers.Filesystem;

/// <summary>
/// Writes into the hidden upload file beside the target ((<c>&lt;target&gt;~upload</c>, see <see cref="FilesystemDriver.UploadSuffix"/>)),
/// so a resumed writer finds its data while readers see nothing until Commit, which makes the data
/// durable (fsync file), publishes it with one rename and makes the rename durable (fsync folder).
/// </summary>
internal sealed class FilesystemWriter : FileWriter
{
    private readonly FilesystemDriver _driver;
    private readonly string _uploadFile;
    private readonly string _targetFile;
    // Every 8 MiB written, the kernel is asked to start writing them to disk while the next ones
    // arrive, so a commit's fsync waits for the tail only instead of the whole file.
    private const long WritebackWindow = 8 << 20;
    private FileStream? _file;
    private long _size;
    private long _writebackFrom;

    public FilesystemWriter(FilesystemDriver driver, string path, string uploadFile, string targetFile, FileStream file)
        : base(driver.Name, path)
    {
        _driver = driver;
        _uploadFile = uploadFile;
        _targetFile = targetFile;
        _file = file;
        _size = file.Length;
        _writebackFrom = _size;
    }

    public override long Size => _size;

    // A synchronous write into the page cache: on Unix FileStream.WriteAsync is the same blocking
    // write run on another thread-pool thread, and that hop per write cost 30-40 % of the
    // throughput on a loaded machine (docs/benchmarks/filesystem.md).
    protected override ValueTask WriteCoreAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            _file!.Write(buffer.Span);
        }
        catch (Exception e) when (FilesystemErrors.IsMappable(e))
        {
            throw FilesystemErrors.Map(DriverName, "write", TargetPath, e);
        }

        _size += buffer.Length;
        if (_size - _writebackFrom >= WritebackWindow)
        {
            NativeMethods.StartWriteback(_file.SafeFileHandle, _writebackFrom, _size - _writebackFrom);
            _writebackFrom = _size;
        }

        return ValueTask.CompletedTask;
    }

    protected override async Task CommitCoreAsync(CancellationToken cancellationToken)
    {
        try
        {
            await FlushToDiskAsync(cancellationToken).ConfigureAwait(false);
            await _file!.DisposeAsync().ConfigureAwait(false);
            _file = null;
            await _driver.PublishAsync(_uploadFile, _targetFile, TargetPath, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (FilesystemErrors.IsMappable(e))
        {
            throw FilesystemErrors.Map(DriverName, "commit", TargetPath, e);
        }
    }

    protected override async Task CancelCoreAsync(CancellationToken cancellationToken)
    {
        try
        {
            await ReleaseAsync().ConfigureAwait(false);
            File.Delete(_uploadFile);
        }
        catch (Exception e) when (FilesystemErrors.IsMappable(e))
        {
            throw FilesystemErrors.Map(DriverName, "cancel", TargetPath, e);
        }
    }

    // Closing persists what was written, like distribution's Close (flush + fsync), so a resume after a crash finds it.
    protected override async ValueTask CloseCoreAsync()
    {
        try
        {
            await FlushToDiskAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (FilesystemErrors.IsMappable(e))
        {
            throw FilesystemErrors.Map(DriverName, "close", TargetPath, e);
        }
    }

    protected override async ValueTask ReleaseAsync()
    {
        if (_file is not null)
        {
            await _file.DisposeAsync().ConfigureAwait(false);
            _file = null;
        }
    }

    private async Task FlushToDiskAsync(CancellationToken cancellationToken)
    {
        if (_file is null)
        {
            return;
        }

        await _file.FlushAsync(cancellationToken).ConfigureAwait(false);
        _file.Flush(flushToDisk: true);
    }
}
