using Registry.Storage;

namespace Sample.StorageDriver;

/// <summary>
/// Streams into the upload's staging file (<see cref="SampleLayout.UploadFileFor"/>) and
/// publishes it with one rename on commit. Closing keeps the staging file, so a later
/// <c>WriterAsync(path, append: true)</c> — from any process — appends to it. Memory stays at
/// one file buffer whatever the size.
/// </summary>
internal sealed class SampleWriter : FileWriter
{
    private readonly SampleLayout _layout;
    private readonly string _uploadFile;
    private readonly FileStream _file;
    private long _size;

    private SampleWriter(SampleLayout layout, string path, string uploadFile, FileStream file)
        : base(SampleDriver.DriverName, path)
    {
        _layout = layout;
        _uploadFile = uploadFile;
        _file = file;
        _size = file.Length;
    }

    /// <inheritdoc />
    public override long Size => _size;

    /// <summary>Starts an upload to <paramref name="path"/>, or with <paramref name="append"/> resumes the one a closed writer left.</summary>
    public static SampleWriter Open(SampleLayout layout, string path, bool append)
    {
        var uploadFile = layout.UploadFileFor(path);
        try
        {
            if (append && !File.Exists(uploadFile))
            {
                // Nothing to resume: appending is allowed only onto committed empty content, and
                // where nothing is at all the path is not found (the caller's upload is gone).
                var committed = new FileInfo(layout.Map(path));
                if (!committed.Exists)
                {
                    throw DriverErrors.PathNotFound(SampleDriver.DriverName, path);
                }

                if (committed.Length > 0)
                {
                    throw new StorageDriverException(SampleDriver.DriverName,
                        $"cannot append to {path}: it holds {committed.Length} bytes of committed content and no upload is in progress")
                    { Path = path };
                }
            }

            var file = SampleLayout.InFolderOf(uploadFile, () =>
                new FileStream(uploadFile, append ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.Read, 81920, useAsync: true));
            return new SampleWriter(layout, path, uploadFile, file);
        }
        catch (Exception ex) when (SampleErrors.IsFileSystemFailure(ex))
        {
            throw SampleErrors.Map(ex, "Writer", path);
        }
    }

    /// <inheritdoc />
    protected override async ValueTask WriteCoreAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken)
    {
        try
        {
            await _file.WriteAsync(buffer, cancellationToken);
            _size += buffer.Length;
        }
        catch (Exception ex) when (SampleErrors.IsFileSystemFailure(ex))
        {
            throw SampleErrors.Map(ex, "Write", TargetPath);
        }
    }

    /// <inheritdoc />
    protected override async Task CommitCoreAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _file.FlushAsync(cancellationToken);
            await _file.DisposeAsync();
            _layout.Publish(_uploadFile, TargetPath);
            _layout.PruneUploadFolders(TargetPath);
        }
        catch (Exception ex) when (SampleErrors.IsFileSystemFailure(ex))
        {
            throw SampleErrors.Map(ex, "Commit", TargetPath);
        }
    }

    /// <inheritdoc />
    protected override async Task CancelCoreAsync(CancellationToken cancellationToken)
    {
        await _file.DisposeAsync();
        File.Delete(_uploadFile);
        _layout.PruneUploadFolders(TargetPath);
    }

    /// <inheritdoc />
    protected override async ValueTask CloseCoreAsync()
    {
        // Disposing flushes the buffer: everything written so far is on disk for the next writer.
        await _file.DisposeAsync();
    }

    /// <inheritdoc />
    protected override ValueTask ReleaseAsync() => _file.DisposeAsync();
}
