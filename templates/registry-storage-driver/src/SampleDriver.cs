using System.Runtime.CompilerServices;
using Registry.Storage;
using Registry.Storage.Kit;

namespace Sample.StorageDriver;

/// <summary>
/// The <c>sampledriver</c> driver: every storage path is a file below a local folder
/// (<see cref="SampleLayout"/>). Writes are staged and published with one rename, so content
/// appears only on commit; a closed upload resumes from any process; walks use the
/// contract's List+Stat fallback.
/// </summary>
/// <remarks>
/// The driver validates paths and offsets itself because tests may create it without the
/// host (whose validating decorator does the same in production).
/// </remarks>
public sealed class SampleDriver : IStorageDriver
{
    /// <summary>The registered name.</summary>
    public const string DriverName = "sampledriver";

    private readonly SampleLayout _layout;

    /// <summary>Creates the driver over <see cref="SampleParameters.RootDirectory"/> (created when missing).</summary>
    public SampleDriver(SampleParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        try
        {
            _layout = new SampleLayout(parameters.RootDirectory);
        }
        catch (Exception ex) when (SampleErrors.IsFileSystemFailure(ex))
        {
            throw new StorageDriverException(DriverName, $"cannot create the root directory {parameters.RootDirectory}: {ex.Message}", ex);
        }
    }

    /// <inheritdoc />
    public string Name => DriverName;

    /// <summary>
    /// Releases what the driver holds. This one holds nothing between calls; a driver with a
    /// network client, connections or native handles releases them here (the host disposes
    /// every driver it creates).
    /// </summary>
    public ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    /// <remarks>A rename is a server-side move; uploads resume and are listed; no redirect URLs; walk is the List+Stat fallback.</remarks>
    public DriverCapabilities Capabilities { get; } = new() { ServerSideMove = true, ResumableWrites = true, ListUploads = true };

    /// <inheritdoc />
    public async Task<byte[]> GetContentAsync(string path, CancellationToken cancellationToken = default)
    {
        StoragePath.Validate(DriverName, path);
        try
        {
            return await File.ReadAllBytesAsync(ExistingFile(path), cancellationToken);
        }
        catch (Exception ex) when (SampleErrors.IsFileSystemFailure(ex))
        {
            throw SampleErrors.Map(ex, "GetContent", path);
        }
    }

    /// <inheritdoc />
    public async Task PutContentAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        StoragePath.Validate(DriverName, path);
        var staged = _layout.NewTemporaryFile();
        try
        {
            await using (var file = new FileStream(staged, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, useAsync: true))
            {
                await file.WriteAsync(content, cancellationToken);
            }

            _layout.Publish(staged, path);
        }
        catch (Exception ex) when (SampleErrors.IsFileSystemFailure(ex) || ex is OperationCanceledException)
        {
            File.Delete(staged);
            throw ex is OperationCanceledException ? ex : SampleErrors.Map(ex, "PutContent", path);
        }
    }

    /// <inheritdoc />
    public Task<Stream> ReaderAsync(string path, long offset, CancellationToken cancellationToken = default)
    {
        StoragePath.Validate(DriverName, path);
        if (offset < 0)
        {
            throw DriverErrors.InvalidOffset(DriverName, path, offset);
        }

        try
        {
            // Share Delete: a reader must not block a concurrent overwrite or delete of the path.
            var file = new FileStream(ExistingFile(path), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 81920, useAsync: true);
            file.Seek(offset, SeekOrigin.Begin); // at or past the end, reads return nothing
            return Task.FromResult<Stream>(file);
        }
        catch (Exception ex) when (SampleErrors.IsFileSystemFailure(ex))
        {
            throw SampleErrors.Map(ex, "Reader", path);
        }
    }

    /// <inheritdoc />
    public Task<FileWriter> WriterAsync(string path, bool append, CancellationToken cancellationToken = default)
    {
        StoragePath.Validate(DriverName, path);
        return Task.FromResult<FileWriter>(SampleWriter.Open(_layout, path, append));
    }

    /// <inheritdoc />
    public Task<StorageFileInfo> StatAsync(string path, CancellationToken cancellationToken = default)
    {
        StoragePath.Validate(DriverName, path, allowRoot: true);
        var full = _layout.Map(path);
        var file = new FileInfo(full);
        if (file.Exists)
        {
            return Task.FromResult(StorageFileInfo.File(path, file.Length, file.LastWriteTimeUtc));
        }

        var directory = new DirectoryInfo(full);
        if (directory.Exists)
        {
            return Task.FromResult(StorageFileInfo.Directory(path, directory.LastWriteTimeUtc));
        }

        throw DriverErrors.PathNotFound(DriverName, path);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<string> ListAsync(string path, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        StoragePath.Validate(DriverName, path, allowRoot: true);
        string[] entries;
        try
        {
            entries = Directory.GetFileSystemEntries(_layout.Map(path));
        }
        catch (Exception ex) when (ex is IOException && path == StoragePath.Root)
        {
            entries = []; // "/" always lists, even before anything was stored
        }
        catch (Exception ex) when (SampleErrors.IsFileSystemFailure(ex))
        {
            // A missing folder, or a file where a folder was asked for (ENOTDIR), is not a directory.
            throw ex is IOException ? DriverErrors.PathNotFound(DriverName, path, ex) : SampleErrors.Map(ex, "List", path);
        }

        foreach (var entry in entries)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var name = Path.GetFileName(entry);
            if (SampleLayout.IsStoredName(name))
            {
                yield return StoragePath.Combine(path, name);
            }
        }

        await Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task MoveAsync(string sourcePath, string destinationPath, CancellationToken cancellationToken = default)
    {
        StoragePath.Validate(DriverName, sourcePath);
        StoragePath.Validate(DriverName, destinationPath);
        try
        {
            var source = ExistingFile(sourcePath);
            if (sourcePath == destinationPath)
            {
                return Task.CompletedTask; // moving onto itself must never lose the only copy
            }

            _layout.Publish(source, destinationPath);
            _layout.PruneEmptyParents(sourcePath);
            return Task.CompletedTask;
        }
        catch (Exception ex) when (SampleErrors.IsFileSystemFailure(ex))
        {
            throw SampleErrors.Map(ex, "Move", ex is FileNotFoundException ? sourcePath : destinationPath);
        }
    }

    /// <inheritdoc />
    public Task DeleteAsync(string path, CancellationToken cancellationToken = default)
    {
        StoragePath.Validate(DriverName, path);
        var full = _layout.Map(path);
        try
        {
            var found = true;
            if (File.Exists(full))
            {
                File.Delete(full);
            }
            else if (Directory.Exists(full))
            {
                // Exactly this folder: a sibling such as /a/bc is another folder, never touched.
                Directory.Delete(full, recursive: true);
            }
            else
            {
                found = false;
            }

            // The uploads at or below the path go too (purging an upload's folder frees its space),
            // also when nothing committed was there — which is still "not found".
            _layout.DeleteUploads(path);
            if (!found)
            {
                throw DriverErrors.PathNotFound(DriverName, path);
            }

            _layout.PruneEmptyParents(path);
            return Task.CompletedTask;
        }
        catch (Exception ex) when (SampleErrors.IsFileSystemFailure(ex))
        {
            throw SampleErrors.Map(ex, "Delete", path);
        }
    }

    /// <inheritdoc />
    /// <remarks>Local files have no URL a client could fetch: always <see langword="null"/>.</remarks>
    public Task<Uri?> RedirectUrlAsync(string path, RedirectOptions options, CancellationToken cancellationToken = default)
    {
        StoragePath.Validate(DriverName, path);
        return Task.FromResult<Uri?>(null);
    }

    /// <inheritdoc />
    public Task WalkAsync(string path, WalkVisitor visitor, WalkOptions? options = null, CancellationToken cancellationToken = default)
    {
        StoragePath.Validate(DriverName, path, allowRoot: true);
        return WalkFallback.WalkAsync(this, path, visitor, options, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>The staging files below <c>~uploads</c> (<see cref="SampleLayout.ListUploads"/>).</remarks>
    public async IAsyncEnumerable<PendingUpload> ListUploadsAsync(string path, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        StoragePath.Validate(DriverName, path, allowRoot: true);
        List<PendingUpload> uploads;
        try
        {
            uploads = _layout.ListUploads(path);
        }
        catch (Exception ex) when (SampleErrors.IsFileSystemFailure(ex))
        {
            throw SampleErrors.Map(ex, "ListUploads", path);
        }

        foreach (var upload in uploads)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return upload;
        }

        await Task.CompletedTask;
    }

    // The file of a path that must hold content; a folder there is "not found", as in distribution.
    private string ExistingFile(string path)
    {
        var full = _layout.Map(path);
        return File.Exists(full) ? full : throw DriverErrors.PathNotFound(DriverName, path);
    }
}
