namespace Registry.Storage.Reliability.Tests.LongSoak;

/// <summary>How a write of the soak ends.</summary>
internal enum WriteEnding
{
    /// <summary>Committed.</summary>
    Commit,

    /// <summary>Cancelled explicitly part-way (<see cref="FileWriter.CancelAsync"/>, or DELETE of a registry upload).</summary>
    Cancel,

    /// <summary>Abandoned part-way through its cancellation token, then discarded the way a client cleans up.</summary>
    Abandon,
}

/// <summary>
/// What the soak drives: a storage driver (paths) or a registry (blobs by digest). Objects are
/// named by the soak; <see cref="WriteAsync"/> answers the key the object is read back by.
/// </summary>
internal interface ISoakTarget : IAsyncDisposable
{
    /// <summary>For the report: the driver, or "serve (driver)".</summary>
    string Name { get; }

    /// <summary>What the restart in the middle does, for the report.</summary>
    string RestartDescription { get; }

    /// <summary>The resident set of the server process the target runs itself (the registry), else 0.</summary>
    long ServerResidentBytes() => 0;

    /// <summary>Whether <see cref="DropNextRead"/> can reset a connection under a reader.</summary>
    bool CanDropConnections { get; }

    /// <summary>
    /// Writes <paramref name="size"/> bytes of <paramref name="seed"/>'s stream as <paramref name="name"/>,
    /// ending as <paramref name="ending"/> says after <paramref name="stopAt"/> bytes (for cancels);
    /// returns the key to read it by and the SHA-256 of what was sent.
    /// </summary>
    Task<(string Key, byte[] Sha256)> WriteAsync(string name, long size, ulong seed, WriteEnding ending, long stopAt, CancellationToken cancellationToken);

    /// <summary>Opens <paramref name="key"/> for reading from the start.</summary>
    Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken);

    /// <summary>The key a write of <paramref name="name"/> with this content would have (for writes that failed).</summary>
    string KeyOf(string name, byte[] sha256);

    /// <summary>Resets the connection of the next GET of <paramref name="key"/> after <paramref name="afterBytes"/> bytes of its response.</summary>
    void DropNextRead(string key, long afterBytes);

    /// <summary>Whether something is stored at <paramref name="key"/>.</summary>
    Task<bool> ExistsAsync(string key, CancellationToken cancellationToken);

    /// <summary>Deletes <paramref name="key"/>.</summary>
    Task DeleteAsync(string key, CancellationToken cancellationToken);

    /// <summary>Restarts the server (or the registry) the target talks to; returns once it serves again.</summary>
    Task RestartAsync(CancellationToken cancellationToken);

    /// <summary>Asks the server (not the client's bookkeeping) what uploads are left, then discards them; returns what was found.</summary>
    Task<ServerLeftovers.Finding> LeftoversAsync(IReadOnlyCollection<string> cancelledKeys, CancellationToken cancellationToken);
}
