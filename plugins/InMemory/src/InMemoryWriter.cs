namespace Registry.Storage.Drivers.InMemory;

/// <summary>
/// Appends straight into the store's upload for the key, so the data is "persisted" as it is
/// written: closing needs no work, and a later writer with append resumes the same upload.
/// Commit publishes the upload as the file's content in one step under the store's lock.
/// </summary>
internal sealed class InMemoryWriter : FileWriter
{
    private readonly InMemoryDriver _driver;
    private readonly string _key;
    private readonly ChunkedContent _upload;

    public InMemoryWriter(InMemoryDriver driver, string path, string key, ChunkedContent upload)
        : base(driver.Name, path)
    {
        _driver = driver;
        _key = key;
        _upload = upload;
    }

    public override long Size => _upload.Length;

    protected override ValueTask WriteCoreAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            _upload.Append(buffer.Span);
            _upload.ModTime = _driver.Now();
        }
        catch (InvalidOperationException e)
        {
            throw new StorageDriverException(DriverName, $"cannot write {TargetPath}: {e.Message}", e) { Path = TargetPath };
        }

        return ValueTask.CompletedTask;
    }

    protected override Task CommitCoreAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _driver.Commit(TargetPath, _key, _upload);
        return Task.CompletedTask;
    }

    protected override Task CancelCoreAsync(CancellationToken cancellationToken)
    {
        _driver.Store.DiscardUpload(_key, _upload);
        return Task.CompletedTask;
    }

    // The upload already lives in the store; it stays there for a later append.
    protected override ValueTask CloseCoreAsync() => ValueTask.CompletedTask;
}
