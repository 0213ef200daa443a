namespace Registry.Storage.Kit;

/// <summary>
/// A driver that forwards every call to an inner driver; decorators and middleware override
/// only what they change (distribution's <c>base.Base</c> / storage middleware).
/// </summary>
public abstract class DelegatingStorageDriver : IStorageDriver
{
    /// <summary>Wraps <paramref name="inner"/>.</summary>
    protected DelegatingStorageDriver(IStorageDriver inner)
    {
        Inner = inner ?? throw new ArgumentNullException(nameof(inner));
    }

    /// <summary>The wrapped driver.</summary>
    public IStorageDriver Inner { get; }

    /// <summary>Disposes the wrapped driver: a decorator chain is disposed from its outermost link.</summary>
    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return Inner.DisposeAsync();
    }

    /// <inheritdoc />
    public virtual string Name => Inner.Name;

    /// <inheritdoc />
    public virtual DriverCapabilities Capabilities => Inner.Capabilities;

    /// <inheritdoc />
    public virtual Task<byte[]> GetContentAsync(string path, CancellationToken cancellationToken = default) =>
        Inner.GetContentAsync(path, cancellationToken);

    /// <inheritdoc />
    public virtual Task PutContentAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default) =>
        Inner.PutContentAsync(path, content, cancellationToken);

    /// <inheritdoc />
    public virtual Task<Stream> ReaderAsync(string path, long offset, CancellationToken cancellationToken = default) =>
        Inner.ReaderAsync(path, offset, cancellationToken);

    /// <inheritdoc />
    public virtual Task<FileWriter> WriterAsync(string path, bool append, CancellationToken cancellationToken = default) =>
        Inner.WriterAsync(path, append, cancellationToken);

    /// <inheritdoc />
    public virtual Task<StorageFileInfo> StatAsync(string path, CancellationToken cancellationToken = default) =>
        Inner.StatAsync(path, cancellationToken);

    /// <inheritdoc />
    public virtual IAsyncEnumerable<string> ListAsync(string path, CancellationToken cancellationToken = default) =>
        Inner.ListAsync(path, cancellationToken);

    /// <inheritdoc />
    public virtual Task MoveAsync(string sourcePath, string destinationPath, CancellationToken cancellationToken = default) =>
        Inner.MoveAsync(sourcePath, destinationPath, cancellationToken);

    /// <inheritdoc />
    public virtual Task DeleteAsync(string path, CancellationToken cancellationToken = default) =>
        Inner.DeleteAsync(path, cancellationToken);

    /// <inheritdoc />
    public virtual Task<Uri?> RedirectUrlAsync(string path, RedirectOptions options, CancellationToken cancellationToken = default) =>
        Inner.RedirectUrlAsync(path, options, cancellationToken);

    /// <inheritdoc />
    public virtual Task WalkAsync(string path, WalkVisitor visitor, WalkOptions? options = null, CancellationToken cancellationToken = default) =>
        Inner.WalkAsync(path, visitor, options, cancellationToken);

    /// <inheritdoc />
    public virtual IAsyncEnumerable<PendingUpload> ListUploadsAsync(string path, CancellationToken cancellationToken = default) =>
        Inner.ListUploadsAsync(path, cancellationToken);
}
