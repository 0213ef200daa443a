using System.Runtime.CompilerServices;
using Registry.Storage.Drivers.Rados.Native;

namespace Registry.Storage.Drivers.Rados;

/// <summary>
/// The <c>rados</c> driver: a filesystem-like tree over one RADOS pool. Directories are
/// objects whose omap maps child names to entries; file content is striped over objects of
/// <see cref="RadosParameters.ChunkSize"/>; see <see cref="RadosLayout"/> for the object ids.
/// </summary>
/// <remarks>Thread-safe. Dispose it to close the cluster connection.</remarks>
public sealed class RadosDriver : IStorageDriver, IDisposable
{
    /// <summary>The registered name.</summary>
    public const string DriverName = "rados";

    private readonly RadosCluster _cluster;
    private readonly RadosIoContext _io;
    private readonly RadosDirectoryIndex _index;
    private readonly RadosFileStore _store;
    private readonly RadosParameters _parameters;
    private readonly TimeProvider _clock;

    private RadosDriver(RadosCluster cluster, RadosIoContext io, RadosParameters parameters, TimeProvider clock)
    {
        _cluster = cluster;
        _io = io;
        _parameters = parameters;
        _clock = clock;
        var layout = new RadosLayout(parameters.RootDirectory);
        _index = new RadosDirectoryIndex(io, layout);
        _store = new RadosFileStore(io, layout, parameters.Concurrency);
        Capabilities = new DriverCapabilities
        {
            Redirect = false,
            ResumableWrites = true,
            NativeWalk = true,
            ServerSideMove = true,
            ListUploads = true,
            BatchDeleteMax = 1,
            WriteChunkSize = parameters.ChunkSize,
        };
    }

    /// <inheritdoc />
    public string Name => DriverName;

    /// <inheritdoc />
    public DriverCapabilities Capabilities { get; }

    /// <summary>Connects to the cluster and opens the pool (blocking, bounded by the timeout).</summary>
    internal static RadosDriver Connect(RadosParameters parameters, TimeProvider? clock = null)
    {
        RadosCluster? cluster = null;
        try
        {
            cluster = RadosCluster.Connect(new RadosConnectOptions(parameters.UserName, parameters.ConfFile, parameters.Keyring, parameters.Timeout));
            var io = cluster.OpenIoContext(parameters.PoolName);
            return new RadosDriver(cluster, io, parameters, clock ?? TimeProvider.System);
        }
        catch (RadosException ex)
        {
            cluster?.Dispose();
            var what = ex.Operation == "rados_ioctx_create" ? $"open pool '{parameters.PoolName}'" : $"connect as client.{parameters.UserName}";
            throw DriverErrors.Backend(DriverName, what, null, ex, isTransient: ex.Errno is Errno.ETIMEDOUT or Errno.ECONNREFUSED);
        }
    }

    /// <inheritdoc />
    public async Task<byte[]> GetContentAsync(string path, CancellationToken cancellationToken = default)
    {
        StoragePath.Validate(DriverName, path);
        var file = await FileAsync(path, cancellationToken).ConfigureAwait(false);
        var content = new byte[file.Size];
        var reader = new RadosReadStream(_store, path, file, 0);
        await using (reader.ConfigureAwait(false))
        {
            await reader.ReadExactlyAsync(content, cancellationToken).ConfigureAwait(false);
        }

        return content;
    }

    /// <inheritdoc />
    public async Task PutContentAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        StoragePath.Validate(DriverName, path);
        try
        {
            var fileId = RadosLayout.NewFileId();
            var modTime = _clock.GetUtcNow();
            await _store.PutAsync(fileId, content, modTime, _parameters.ChunkSize, cancellationToken).ConfigureAwait(false);
            var entry = DirectoryEntry.File(StoragePath.Name(path), fileId, content.Length, modTime, _parameters.ChunkSize);
            DirectoryEntry? replaced;
            try
            {
                replaced = await _index.PublishAsync(path, entry, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                // Not published (for example a directory is stored there): the new stripes go.
                await RemoveContentAsync(entry, CancellationToken.None).ConfigureAwait(false);
                throw;
            }

            await RemoveContentAsync(replaced, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            throw RadosErrors.Map(ex, "put", path);
        }
    }

    /// <inheritdoc />
    public async Task<Stream> ReaderAsync(string path, long offset, CancellationToken cancellationToken = default)
    {
        StoragePath.Validate(DriverName, path);
        if (offset < 0)
        {
            throw DriverErrors.InvalidOffset(DriverName, path, offset);
        }

        var file = await FileAsync(path, cancellationToken).ConfigureAwait(false);
        return new RadosReadStream(_store, path, file, Math.Min(offset, file.Size));
    }

    /// <inheritdoc />
    public async Task<FileWriter> WriterAsync(string path, bool append, CancellationToken cancellationToken = default)
    {
        StoragePath.Validate(DriverName, path);
        try
        {
            if (!append)
            {
                return await RadosFileWriter.StartAsync(_store, _index, _clock, path, _parameters.ChunkSize, cancellationToken).ConfigureAwait(false);
            }

            if (await _index.LookupUploadAsync(path, cancellationToken).ConfigureAwait(false) is { } upload)
            {
                return await RadosFileWriter.ResumeAsync(_store, _index, _clock, path, upload, cancellationToken).ConfigureAwait(false);
            }

            // No upload in progress: committed content is immutable under its file id, so only
            // an empty file can be continued — as a new, empty upload; where no file is, nothing can.
            return await _index.LookupAsync(path, cancellationToken).ConfigureAwait(false) switch
            {
                { IsFile: true, Size: 0 } => await RadosFileWriter.StartAsync(_store, _index, _clock, path, _parameters.ChunkSize, cancellationToken).ConfigureAwait(false),
                { IsFile: true } committed => throw new StorageDriverException(DriverName,
                    $"cannot append to {path}: it holds {committed.Size} committed bytes and no upload is in progress; append continues uncommitted or empty content only")
                { Path = path },
                _ => throw DriverErrors.PathNotFound(DriverName, path),
            };
        }
        catch (Exception ex)
        {
            throw RadosErrors.Map(ex, "open writer", path);
        }
    }

    /// <inheritdoc />
    public async Task<StorageFileInfo> StatAsync(string path, CancellationToken cancellationToken = default)
    {
        StoragePath.Validate(DriverName, path, allowRoot: true);
        if (path == StoragePath.Root)
        {
            return StorageFileInfo.Directory(path);
        }

        var entry = await LookupAsync(path, cancellationToken).ConfigureAwait(false);
        return entry?.ToFileInfo(path) ?? throw DriverErrors.PathNotFound(DriverName, path);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<string> ListAsync(string path, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        StoragePath.Validate(DriverName, path, allowRoot: true);
        var entries = _index.ListAsync(path, cancellationToken).GetAsyncEnumerator(cancellationToken);
        await using (entries.ConfigureAwait(false))
        {
            while (true)
            {
                try
                {
                    if (!await entries.MoveNextAsync().ConfigureAwait(false))
                    {
                        yield break;
                    }
                }
                catch (RadosException ex) when (ex.Errno == Errno.ENOENT && path == StoragePath.Root)
                {
                    yield break; // "/" always lists, even before anything was written
                }
                catch (Exception ex)
                {
                    throw RadosErrors.Map(ex, "list", path);
                }

                if (entries.Current.Kind != EntryKind.Upload)
                {
                    yield return StoragePath.Combine(path, entries.Current.Name);
                }
            }
        }
    }

    /// <inheritdoc />
    public async Task MoveAsync(string sourcePath, string destinationPath, CancellationToken cancellationToken = default)
    {
        StoragePath.Validate(DriverName, sourcePath);
        StoragePath.Validate(DriverName, destinationPath);
        var source = await FileAsync(sourcePath, cancellationToken).ConfigureAwait(false);
        if (sourcePath == destinationPath)
        {
            return;
        }

        try
        {
            // O(1): only directory entries change; the stripes keep their file id.
            var moved = source with { Name = StoragePath.Name(destinationPath) };
            var replaced = await _index.PublishAsync(destinationPath, moved, cancellationToken).ConfigureAwait(false);
            if (await _index.RemoveAsync(sourcePath, source, cancellationToken).ConfigureAwait(false))
            {
                await _index.PruneAsync(StoragePath.Parent(sourcePath), cancellationToken).ConfigureAwait(false);
            }

            if (replaced is not null && replaced.FileId != source.FileId)
            {
                await RemoveContentAsync(replaced, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            throw RadosErrors.Map(ex, $"move to {destinationPath}", sourcePath);
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// The upload at the path (its own entry beside the file's) goes too, also when nothing
    /// committed is there — which is still <see cref="PathNotFoundException"/>; uploads below a
    /// directory go with the directory's entries.
    /// </remarks>
    public async Task DeleteAsync(string path, CancellationToken cancellationToken = default)
    {
        StoragePath.Validate(DriverName, path);
        var entry = await LookupAsync(path, cancellationToken).ConfigureAwait(false);
        try
        {
            var upload = await _index.LookupUploadAsync(path, cancellationToken).ConfigureAwait(false);
            foreach (var removed in new[] { upload, entry })
            {
                if (removed is { IsDirectory: true })
                {
                    await DeleteTreeAsync(path, cancellationToken).ConfigureAwait(false);
                }

                if (removed is not null && await _index.RemoveAsync(path, removed, cancellationToken).ConfigureAwait(false))
                {
                    await RemoveContentAsync(removed, cancellationToken).ConfigureAwait(false);
                }
            }

            if (upload is not null || entry is not null)
            {
                await _index.PruneAsync(StoragePath.Parent(path), cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            throw RadosErrors.Map(ex, "delete", path);
        }

        if (entry is null)
        {
            throw DriverErrors.PathNotFound(DriverName, path);
        }
    }

    /// <inheritdoc />
    public Task<Uri?> RedirectUrlAsync(string path, RedirectOptions options, CancellationToken cancellationToken = default)
    {
        // RADOS has no HTTP endpoint to redirect a client to (Capabilities.Redirect is false).
        StoragePath.Validate(DriverName, path);
        return Task.FromResult<Uri?>(null);
    }

    /// <inheritdoc />
    public async Task WalkAsync(string path, WalkVisitor visitor, WalkOptions? options = null, CancellationToken cancellationToken = default)
    {
        StoragePath.Validate(DriverName, path, allowRoot: true);
        ArgumentNullException.ThrowIfNull(visitor);
        try
        {
            await RadosWalker.WalkAsync(_index, path, visitor, options, cancellationToken).ConfigureAwait(false);
        }
        catch (RadosException ex)
        {
            throw RadosErrors.Map(ex, "walk", path);
        }
    }

    /// <inheritdoc />
    /// <remarks>The upload entries in the directory omaps at or below the path (<see cref="RadosPendingUploads"/>).</remarks>
    public async IAsyncEnumerable<PendingUpload> ListUploadsAsync(string path, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        StoragePath.Validate(DriverName, path, allowRoot: true);
        var uploads = RadosPendingUploads.ListAsync(_index, _store, path, cancellationToken).GetAsyncEnumerator(cancellationToken);
        await using (uploads.ConfigureAwait(false))
        {
            while (true)
            {
                try
                {
                    if (!await uploads.MoveNextAsync().ConfigureAwait(false))
                    {
                        yield break;
                    }
                }
                catch (Exception ex)
                {
                    throw RadosErrors.Map(ex, "list uploads", path);
                }

                yield return uploads.Current;
            }
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _io.Dispose();
        _cluster.Dispose();
    }

    // Children first (files' and abandoned uploads' stripes, then each emptied directory's object), depth first.
    private async Task DeleteTreeAsync(string directory, CancellationToken cancellationToken)
    {
        var entries = new List<DirectoryEntry>();
        try
        {
            await foreach (var entry in _index.ListAsync(directory, cancellationToken).ConfigureAwait(false))
            {
                entries.Add(entry);
            }
        }
        catch (RadosException ex) when (ex.Errno == Errno.ENOENT)
        {
            return;
        }

        foreach (var entry in entries)
        {
            var child = StoragePath.Combine(directory, entry.Name);
            if (entry.IsDirectory)
            {
                await DeleteTreeAsync(child, cancellationToken).ConfigureAwait(false);
            }

            if (await _index.RemoveAsync(child, entry, cancellationToken).ConfigureAwait(false))
            {
                await RemoveContentAsync(entry, cancellationToken).ConfigureAwait(false);
            }
        }

        await _index.RemoveDirectoryObjectAsync(directory, cancellationToken).ConfigureAwait(false);
    }

    private Task RemoveContentAsync(DirectoryEntry? entry, CancellationToken cancellationToken) => entry switch
    {
        { IsFile: true } => _store.RemoveStripesAsync(entry.FileId, RadosLayout.StripeCount(entry.Size, entry.ChunkSize), cancellationToken),
        { Kind: EntryKind.Upload } => _store.RemoveUploadStripesAsync(entry, cancellationToken),
        _ => Task.CompletedTask,
    };

    private async Task<DirectoryEntry?> LookupAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            return await _index.LookupAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            throw RadosErrors.Map(ex, "stat", path);
        }
    }

    private async Task<DirectoryEntry> FileAsync(string path, CancellationToken cancellationToken) =>
        await LookupAsync(path, cancellationToken).ConfigureAwait(false) is { IsFile: true } file
            ? file
            : throw DriverErrors.PathNotFound(DriverName, path);
}
