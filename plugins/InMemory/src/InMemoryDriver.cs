using System.Runtime.CompilerServices;
using Registry.Storage.Kit;

namespace Registry.Storage.Drivers.InMemory;

/// <summary>
/// The inmemory driver: everything lives in an <see cref="InMemoryStore"/> of this process.
/// Thread-safe; content is chunked (no blob is ever one array); writers resume in the same
/// instance, and across driver instances that share a named store; walks are native ordered scans.
/// </summary>
public sealed class InMemoryDriver : IStorageDriver
{
    /// <summary>The registered name.</summary>
    public const string DriverName = "inmemory";

    private readonly string _root;
    private readonly TimeProvider _clock;

    /// <summary>Creates a driver over the store <paramref name="parameters"/> select.</summary>
    public InMemoryDriver(InMemoryParameters parameters, TimeProvider? clock = null)
        : this(parameters, InMemoryStores.Get(parameters?.StoreName), clock)
    {
    }

    internal InMemoryDriver(InMemoryParameters parameters, InMemoryStore store, TimeProvider? clock)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        _root = parameters.RootDirectory;
        Store = store;
        _clock = clock ?? TimeProvider.System;
        Capabilities = new DriverCapabilities
        {
            ResumableWrites = parameters.StoreName is not null,
            NativeWalk = true,
            ServerSideMove = true,
            ListUploads = true,
        };
    }

    /// <inheritdoc />
    public string Name => DriverName;

    /// <inheritdoc />
    /// <remarks>
    /// Uploads survive the driver instance (<see cref="DriverCapabilities.ResumableWrites"/>) only
    /// in a named store: a private store goes with its driver, though the instance that wrote an
    /// upload still resumes it.
    /// </remarks>
    public DriverCapabilities Capabilities { get; }

    internal InMemoryStore Store { get; }

    /// <inheritdoc />
    public Task<byte[]> GetContentAsync(string path, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(RequireFile(path).Content.ToArray());
    }

    /// <inheritdoc />
    public Task PutContentAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        StoragePath.Validate(Name, path);
        cancellationToken.ThrowIfCancellationRequested();

        // Copied before the lock is taken; the swap under the lock is what makes it atomic.
        var stored = ChunkedContent.FrozenCopyOf(content.Span);
        ThrowOnConflict(path, Store.Put(Key(path), stored, Now()));
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<Stream> ReaderAsync(string path, long offset, CancellationToken cancellationToken = default)
    {
        StoragePath.Validate(Name, path);
        if (offset < 0)
        {
            throw DriverErrors.InvalidOffset(Name, path, offset);
        }

        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult<Stream>(new ChunkedContentStream(RequireFile(path).Content, offset));
    }

    /// <inheritdoc />
    public Task<FileWriter> WriterAsync(string path, bool append, CancellationToken cancellationToken = default)
    {
        StoragePath.Validate(Name, path);
        cancellationToken.ThrowIfCancellationRequested();
        var key = Key(path);
        var upload = Store.OpenUpload(key, append, Now(), out var committedLength)
            ?? throw (committedLength < 0
                ? DriverErrors.PathNotFound(Name, path)
                : new StorageDriverException(Name,
                    $"cannot append to {path}: it holds {committedLength} committed bytes; append resumes only an uncommitted upload or empty content")
                { Path = path });
        return Task.FromResult<FileWriter>(new InMemoryWriter(this, path, key, upload));
    }

    /// <inheritdoc />
    public Task<StorageFileInfo> StatAsync(string path, CancellationToken cancellationToken = default)
    {
        StoragePath.Validate(Name, path, allowRoot: true);
        cancellationToken.ThrowIfCancellationRequested();
        var key = Key(path);
        if (path != StoragePath.Root && Store.GetFile(key) is { } file)
        {
            return Task.FromResult(StorageFileInfo.File(path, file.Content.Length, file.ModTime));
        }

        var modTime = Store.GetDirectoryModTime(key);
        return modTime is not null || path == StoragePath.Root
            ? Task.FromResult(StorageFileInfo.Directory(path, modTime ?? DateTimeOffset.MinValue))
            : throw DriverErrors.PathNotFound(Name, path);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<string> ListAsync(string path, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        StoragePath.Validate(Name, path, allowRoot: true);
        var children = Store.ListChildren(Key(path));
        if (children is null && path != StoragePath.Root)
        {
            throw DriverErrors.PathNotFound(Name, path);
        }

        foreach (var child in children ?? [])
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return StoragePath.Combine(path, child);
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task MoveAsync(string sourcePath, string destinationPath, CancellationToken cancellationToken = default)
    {
        StoragePath.Validate(Name, sourcePath);
        StoragePath.Validate(Name, destinationPath);
        cancellationToken.ThrowIfCancellationRequested();
        if (!Store.Move(Key(sourcePath), Key(destinationPath), Now(), out var conflict))
        {
            throw DriverErrors.PathNotFound(Name, sourcePath);
        }

        ThrowOnConflict(destinationPath, conflict);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task DeleteAsync(string path, CancellationToken cancellationToken = default)
    {
        StoragePath.Validate(Name, path);
        cancellationToken.ThrowIfCancellationRequested();
        return Store.Delete(Key(path), Now()) ? Task.CompletedTask : throw DriverErrors.PathNotFound(Name, path);
    }

    /// <inheritdoc />
    public Task<Uri?> RedirectUrlAsync(string path, RedirectOptions options, CancellationToken cancellationToken = default)
    {
        StoragePath.Validate(Name, path);
        return Task.FromResult<Uri?>(null);
    }

    /// <inheritdoc />
    public async Task WalkAsync(string path, WalkVisitor visitor, WalkOptions? options = null, CancellationToken cancellationToken = default)
    {
        StoragePath.Validate(Name, path, allowRoot: true);
        ArgumentNullException.ThrowIfNull(visitor);
        var hint = string.IsNullOrEmpty(options?.StartAfterHint) ? null : options!.StartAfterHint;
        var files = Store.SnapshotFiles(Key(path), hint is null ? null : _root + hint);
        if (files is null)
        {
            if (path != StoragePath.Root)
            {
                throw DriverErrors.PathNotFound(Name, path);
            }

            return;
        }

        // The snapshot is taken at once under the lock, so the walk sees one consistent state.
        files.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        var walk = new FlatWalk(path, visitor, options);
        foreach (var (key, size, modTime) in files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!await walk.AddFileAsync(StorageFileInfo.File(key[_root.Length..], size, modTime), cancellationToken).ConfigureAwait(false))
            {
                return;
            }
        }
    }

    /// <inheritdoc />
    /// <remarks>The store's map of uploads: their length and the time of their last write.</remarks>
    public async IAsyncEnumerable<PendingUpload> ListUploadsAsync(string path, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        StoragePath.Validate(Name, path, allowRoot: true);
        await Task.CompletedTask.ConfigureAwait(false);
        foreach (var (key, size, modTime) in Store.SnapshotUploads(Key(path)))
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return new PendingUpload(key[_root.Length..], size, modTime);
        }
    }

    /// <summary>Publishes a writer's upload at <paramref name="path"/>.</summary>
    internal void Commit(string path, string key, ChunkedContent upload)
    {
        try
        {
            ThrowOnConflict(path, Store.CommitUpload(key, upload, Now()));
        }
        catch (InvalidOperationException e)
        {
            throw new StorageDriverException(Name, $"cannot commit {path}: {e.Message}", e) { Path = path };
        }
    }

    // Absolute key in the store: the driver's root plus the path ("/" is the root itself).
    private string Key(string path) => path == StoragePath.Root ? (_root.Length == 0 ? StoragePath.Root : _root) : _root + path;

    /// <summary>The driver's clock.</summary>
    internal DateTimeOffset Now() => _clock.GetUtcNow();

    private StoredFile RequireFile(string path)
    {
        StoragePath.Validate(Name, path);
        return Store.GetFile(Key(path)) ?? throw DriverErrors.PathNotFound(Name, path);
    }

    private void ThrowOnConflict(string path, PlaceConflict conflict)
    {
        switch (conflict)
        {
            case PlaceConflict.IsDirectory:
                throw new StorageDriverException(Name, $"cannot store a file at {path}: it is a directory") { Path = path };
            case PlaceConflict.ParentIsFile:
                throw new StorageDriverException(Name, $"cannot store at {path}: a file is in the way (a parent is a file, or a directory would replace a file)") { Path = path };
        }
    }
}
