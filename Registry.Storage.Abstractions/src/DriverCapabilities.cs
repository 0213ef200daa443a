namespace Registry.Storage;

/// <summary>
/// What a driver can do, declared once as data (never discovered by catching
/// <see cref="UnsupportedMethodException"/>). Tests and decorators gate on these.
/// </summary>
public sealed record DriverCapabilities
{
    /// <summary>The minimum every driver offers: no redirect, append/resume, walk via List and Stat.</summary>
    public static DriverCapabilities Minimal { get; } = new();

    /// <summary><see cref="IStorageDriver.RedirectUrlAsync"/> returns URLs.</summary>
    public bool Redirect { get; init; }

    /// <summary>
    /// An upload survives the driver instance: a writer disposed without commit can be resumed by
    /// a later <c>WriterAsync(path, append: true)</c> on a new driver instance over the same
    /// storage, as another process would create it. When <see langword="false"/>, a new instance
    /// finds nothing to resume (<see cref="PathNotFoundException"/>); the instance that wrote the
    /// upload may still resume it (inmemory without a named store does).
    /// </summary>
    public bool ResumableWrites { get; init; } = true;

    /// <summary>Walk uses the backend's own flat listing rather than List and Stat per entry.</summary>
    public bool NativeWalk { get; init; }

    /// <summary>Move copies on the server (or renames) without streaming the data through the client.</summary>
    public bool ServerSideMove { get; init; }

    /// <summary>How many objects one backend request can delete; 1 when deletes go one by one.</summary>
    public int BatchDeleteMax { get; init; } = 1;

    /// <summary>The chunk (part, block, segment, stripe) size a writer buffers before it sends; 0 when it streams straight through.</summary>
    public long WriteChunkSize { get; init; }

    /// <summary>
    /// <see cref="IStorageDriver.ListUploadsAsync"/> lists the uncommitted uploads writers left
    /// (since contract 1.2). When <see langword="false"/>, it throws <see cref="UnsupportedMethodException"/>.
    /// </summary>
    public bool ListUploads { get; init; }

    /// <summary>The largest object the driver can store, or <see langword="null"/> when unbounded.</summary>
    public long? MaxObjectSize { get; init; }
}
