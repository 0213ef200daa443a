using System.Runtime.CompilerServices;
using Registry.Storage.Kit;

namespace Registry.Storage.Drivers.Filesystem;

/// <summary>
/// The filesystem driver: a path <c>/a/b</c> is the file <c>&lt;rootdirectory&gt;/a/b</c>, as in
/// distribution, so an existing registry folder works unchanged. Uploads are written to a hidden
/// sibling and renamed into place on Commit; PutContent and Move are atomic renames; no path or
/// symbolic link reaches outside the root (<see cref="RootedPaths"/>). At most <c>maxthreads</c>
/// blocking file operations run at once (distribution's regulator).
/// </summary>
public sealed class FilesystemDriver : IStorageDriver, IDisposable
{
    /// <summary>The registered name.</summary>
    public const string DriverName = "filesystem";

    /// <summary>
    /// Suffix of the hidden file an upload is written to, beside its target. '~' is outside the
    /// path rule's alphabet, so no storage path can name it and List/Walk never report it.
    /// </summary>
    internal const string UploadSuffix = "~upload";

    // Reads and writes move data in 1 MiB system calls; larger buys nothing measurable (docs/benchmarks/filesystem.md).
    internal const int StreamBufferSize = 1 << 20;

    private const FileShare ShareAll = FileShare.ReadWrite | FileShare.Delete;

    private readonly RootedPaths _paths;
    private readonly SemaphoreSlim _regulator;

    /// <summary>Creates a driver over the folder <paramref name="parameters"/> name.</summary>
    public FilesystemDriver(FilesystemParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Parameters = parameters;
        _paths = new RootedPaths(DriverName, parameters.RootDirectory);
        _regulator = new SemaphoreSlim(parameters.MaxThreads, parameters.MaxThreads);
    }

    /// <summary>The configuration the driver runs with.</summary>
    public FilesystemParameters Parameters { get; }

    /// <inheritdoc />
    public string Name => DriverName;

    /// <inheritdoc />
    public DriverCapabilities Capabilities { get; } = new()
    {
        ResumableWrites = true,
        ServerSideMove = true,
        ListUploads = true,
    };

    /// <inheritdoc />
    public Task<byte[]> GetContentAsync(string path, CancellationToken cancellationToken = default)
    {
        StoragePath.Validate(Name, path);
        return RunAsync("get content", path, async () =>
        {
            var full = _paths.Resolve(path);
            return await File.ReadAllBytesAsync(full, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task PutContentAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        StoragePath.Validate(Name, path);
        return RunAsync("put content", path, () =>
        {
            var full = _paths.Resolve(path, checkLeaf: false); // the rename replaces a link, never follows it
            var directory = Path.GetDirectoryName(full)!;
            Directory.CreateDirectory(directory);

            // A fresh, unguessable name opened with O_EXCL: never a planted link, never another writer's file.
            var temp = $"{full}~{Guid.NewGuid():N}.tmp";
            try
            {
                cancellationToken.ThrowIfCancellationRequested();
                using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1))
                {
                    file.Write(content.Span); // inline, as the writer does (FileStream.WriteAsync only adds a thread hop on Unix)
                    file.Flush(flushToDisk: true);
                }

                File.Move(temp, full, overwrite: true);
            }
            catch
            {
                TryDelete(temp);
                throw;
            }

            NativeMethods.SyncDirectory(directory);
            return Task.FromResult(true);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<Stream> ReaderAsync(string path, long offset, CancellationToken cancellationToken = default)
    {
        StoragePath.Validate(Name, path);
        if (offset < 0)
        {
            throw DriverErrors.InvalidOffset(Name, path, offset);
        }

        return RunAsync<Stream>("read", path, () =>
        {
            var file = new FileStream(_paths.Resolve(path), FileMode.Open, FileAccess.Read, ShareAll, StreamBufferSize, FileOptions.SequentialScan);

            // Past the end reads nothing, as distribution's filesystem driver does.
            file.Seek(offset, SeekOrigin.Begin);
            return Task.FromResult<Stream>(new FileReadStream(file, Name, path));
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<FileWriter> WriterAsync(string path, bool append, CancellationToken cancellationToken = default)
    {
        StoragePath.Validate(Name, path);
        return RunAsync<FileWriter>("open writer", path, () =>
        {
            var full = _paths.Resolve(path);
            var upload = full + UploadSuffix;
            if (RootedPaths.ReadLink(upload) is not null)
            {
                File.Delete(upload); // our private file is never a link: someone planted it
            }

            var mode = FileMode.Create;
            if (append && File.Exists(upload))
            {
                mode = FileMode.Append;
            }
            else if (append)
            {
                // Without an upload only committed empty content may be extended (a new upload replaces it).
                switch (RootedPaths.Describe(full))
                {
                    case FileInfo { Length: > 0 } committed:
                        throw new StorageDriverException(Name,
                            $"cannot append to {path}: it holds {committed.Length} committed bytes; append resumes only an uncommitted upload or empty content")
                        { Path = path };
                    case null:
                        throw DriverErrors.PathNotFound(Name, path);
                }
            }

            if (Directory.Exists(full))
            {
                throw new StorageDriverException(Name, $"cannot write {path}: it is a directory") { Path = path };
            }

            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            var file = new FileStream(upload, mode, FileAccess.Write, ShareAll, StreamBufferSize, FileOptions.SequentialScan);
            return Task.FromResult<FileWriter>(new FilesystemWriter(this, path, upload, full, file));
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<StorageFileInfo> StatAsync(string path, CancellationToken cancellationToken = default)
    {
        StoragePath.Validate(Name, path, allowRoot: true);
        return RunAsync("stat", path, () =>
        {
            return RootedPaths.Describe(_paths.Resolve(path)) switch
            {
                FileInfo file => Task.FromResult(StorageFileInfo.File(path, file.Length, file.LastWriteTimeUtc)),
                DirectoryInfo directory => Task.FromResult(StorageFileInfo.Directory(path, directory.LastWriteTimeUtc)),

                // "/" always exists, as it always lists, even before the first write creates the folder.
                _ when path == StoragePath.Root => Task.FromResult(StorageFileInfo.Directory(path)),
                _ => throw DriverErrors.PathNotFound(Name, path),
            };
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<string> ListAsync(string path, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        StoragePath.Validate(Name, path, allowRoot: true);
        var names = await RunAsync("list", path, () => Task.FromResult(FilesystemLister.ListNames(_paths, Name, path)), cancellationToken)
            .ConfigureAwait(false);
        foreach (var name in names)
        {
            yield return StoragePath.Combine(path, name);
        }
    }

    /// <inheritdoc />
    public Task MoveAsync(string sourcePath, string destinationPath, CancellationToken cancellationToken = default)
    {
        StoragePath.Validate(Name, sourcePath);
        StoragePath.Validate(Name, destinationPath);
        return RunAsync("move", sourcePath, () =>
        {
            // rename(2) moves or replaces a link itself, never what it points to.
            var source = _paths.Resolve(sourcePath, checkLeaf: false);
            var destination = _paths.Resolve(destinationPath, checkLeaf: false);

            // Files only, as the contract says: a directory (or a link to one, which Stat calls a
            // directory) is no file, as on an object store, and nothing moves.
            if (Directory.Exists(source) || (!File.Exists(source) && RootedPaths.ReadLink(source) is null))
            {
                throw DriverErrors.PathNotFound(Name, sourcePath);
            }

            var directory = Path.GetDirectoryName(destination)!;
            Directory.CreateDirectory(directory);
            File.Move(source, destination, overwrite: true);

            NativeMethods.SyncDirectory(directory);
            return Task.FromResult(true);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task DeleteAsync(string path, CancellationToken cancellationToken = default)
    {
        StoragePath.Validate(Name, path);
        return RunAsync("delete", path, () =>
        {
            var full = _paths.Resolve(path, checkLeaf: false);
            bool found;
            if (RootedPaths.ReadLink(full) is not null)
            {
                File.Delete(full); // unlinks the link; what it points to is untouched
                found = true;
            }
            else if (Directory.Exists(full))
            {
                TreeDeleter.Delete(full, FilesystemLister.ListingsAhead);
                found = true;
            }
            else
            {
                found = File.Exists(full);
                File.Delete(full);
            }

            // A file's uncommitted upload goes with it (those below a directory went with the
            // directory) — even when nothing committed was there, which is still PathNotFound.
            var upload = full + UploadSuffix;
            if (File.Exists(upload) || RootedPaths.ReadLink(upload) is not null)
            {
                File.Delete(upload);
            }

            return found ? Task.FromResult(true) : throw DriverErrors.PathNotFound(Name, path);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<Uri?> RedirectUrlAsync(string path, RedirectOptions options, CancellationToken cancellationToken = default)
    {
        StoragePath.Validate(Name, path);
        return Task.FromResult<Uri?>(null);
    }

    /// <inheritdoc />
    public Task WalkAsync(string path, WalkVisitor visitor, WalkOptions? options = null, CancellationToken cancellationToken = default)
    {
        StoragePath.Validate(Name, path, allowRoot: true);
        return FilesystemLister.WalkAsync(this, _paths, path, visitor, options, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>The hidden upload files (<c>&lt;target&gt;~upload</c>) at or below the path; their size and last write.</remarks>
    public async IAsyncEnumerable<PendingUpload> ListUploadsAsync(string path, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        StoragePath.Validate(Name, path, allowRoot: true);
        var uploads = await RunAsync("list uploads", path, () => Task.FromResult(FilesystemLister.ListUploads(_paths, path)), cancellationToken)
            .ConfigureAwait(false);
        foreach (var upload in uploads)
        {
            yield return upload;
        }
    }

    /// <summary>Releases the regulator.</summary>
    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public void Dispose() => _regulator.Dispose();

    /// <summary>Publishes a writer's upload: rename over the target, then make the rename durable.</summary>
    internal Task PublishAsync(string uploadFile, string targetFile, string path, CancellationToken cancellationToken) =>
        RunAsync("commit", path, () =>
        {
            File.Move(uploadFile, targetFile, overwrite: true);
            NativeMethods.SyncDirectory(Path.GetDirectoryName(targetFile)!);
            return Task.FromResult(true);
        }, cancellationToken);

    /// <summary>Runs <paramref name="body"/> under the regulator with errors mapped (for the lister).</summary>
    internal Task<T> RegulatedAsync<T>(string operation, string path, Func<Task<T>> body, CancellationToken cancellationToken) =>
        RunAsync(operation, path, body, cancellationToken);

    // distribution's regulator: at most maxthreads blocking file operations at once; every
    // file-system exception leaves as the contract's error naming the driver and the path.
    private async Task<T> RunAsync<T>(string operation, string path, Func<Task<T>> body, CancellationToken cancellationToken)
    {
        await _regulator.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await body().ConfigureAwait(false);
        }
        catch (Exception e) when (FilesystemErrors.IsMappable(e))
        {
            throw FilesystemErrors.Map(Name, operation, path, e);
        }
        finally
        {
            _regulator.Release();
        }
    }

    private static void TryDelete(string file)
    {
        try
        {
            File.Delete(file);
        }
        catch (IOException)
        {
            // best effort: a leftover temp file is hidden from List and Walk
        }
        catch (UnauthorizedAccessException)
        {
            // as above
        }
    }
}
