namespace Registry.Storage.Drivers.Azure;

/// <summary>
/// The azure driver: Azure Blob Storage with distribution's blob layout. Each operation lives
/// in its own class (content, writers, lister, deleter, mover, redirects); this one only
/// validates paths and routes.
/// </summary>
public sealed class AzureDriver : IStorageDriver
{
    private readonly AzureContext _context;

    internal AzureDriver(AzureContext context)
    {
        _context = context;
        var parameters = context.Parameters;
        Capabilities = new DriverCapabilities
        {
            Redirect = context.SharedKey is not null,
            ResumableWrites = true,
            NativeWalk = true,
            ServerSideMove = true,
            ListUploads = true,
            BatchDeleteMax = 1,
            WriteChunkSize = parameters.ChunkSize,
            MaxObjectSize = parameters.ChunkSize * AzureParameters.MaxBlocks,
        };
    }

    /// <inheritdoc />
    public string Name => _context.DriverName;

    /// <inheritdoc />
    public DriverCapabilities Capabilities { get; }

    /// <summary>The parsed configuration (credentials masked in its <c>ToString</c>).</summary>
    public AzureParameters Parameters => _context.Parameters;

    /// <inheritdoc />
    public Task<byte[]> GetContentAsync(string path, CancellationToken cancellationToken = default)
    {
        StoragePath.Validate(Name, path);
        return AzureContent.GetAsync(_context, path, cancellationToken);
    }

    /// <inheritdoc />
    public Task PutContentAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        StoragePath.Validate(Name, path);
        return AzureContent.PutAsync(_context, path, content, cancellationToken);
    }

    /// <inheritdoc />
    public Task<Stream> ReaderAsync(string path, long offset, CancellationToken cancellationToken = default)
    {
        StoragePath.Validate(Name, path);
        return AzureContent.ReadAsync(_context, path, offset, cancellationToken);
    }

    /// <inheritdoc />
    public Task<FileWriter> WriterAsync(string path, bool append, CancellationToken cancellationToken = default)
    {
        StoragePath.Validate(Name, path);
        return AzureWriters.OpenAsync(_context, path, append, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<StorageFileInfo> StatAsync(string path, CancellationToken cancellationToken = default)
    {
        StoragePath.Validate(Name, path, allowRoot: true);
        if (path == StoragePath.Root)
        {
            return StorageFileInfo.Directory(path);
        }

        return await AzureContent.TryStatFileAsync(_context, path, cancellationToken).ConfigureAwait(false)
            ?? (await AzureLister.DirectoryExistsAsync(_context, path, cancellationToken).ConfigureAwait(false)
                ? StorageFileInfo.Directory(path)
                : throw DriverErrors.PathNotFound(Name, path));
    }

    /// <inheritdoc />
    public IAsyncEnumerable<string> ListAsync(string path, CancellationToken cancellationToken = default)
    {
        StoragePath.Validate(Name, path, allowRoot: true);
        return AzureLister.ListAsync(_context, path, cancellationToken);
    }

    /// <inheritdoc />
    public Task MoveAsync(string sourcePath, string destinationPath, CancellationToken cancellationToken = default)
    {
        StoragePath.Validate(Name, sourcePath);
        StoragePath.Validate(Name, destinationPath);
        return AzureMover.MoveAsync(_context, sourcePath, destinationPath, cancellationToken);
    }

    /// <inheritdoc />
    public Task DeleteAsync(string path, CancellationToken cancellationToken = default)
    {
        StoragePath.Validate(Name, path);
        return AzureDeleter.DeleteAsync(_context, path, cancellationToken);
    }

    /// <inheritdoc />
    public Task<Uri?> RedirectUrlAsync(string path, RedirectOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        StoragePath.Validate(Name, path);
        return Task.FromResult(AzureRedirects.SignedUrl(_context, path, options.Expiry));
    }

    /// <inheritdoc />
    public Task WalkAsync(string path, WalkVisitor visitor, WalkOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(visitor);
        StoragePath.Validate(Name, path, allowRoot: true);
        return AzureLister.WalkAsync(_context, path, visitor, options, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>The live staged-block sessions at or below the path (<see cref="AzurePendingUploads"/>).</remarks>
    public IAsyncEnumerable<PendingUpload> ListUploadsAsync(string path, CancellationToken cancellationToken = default)
    {
        StoragePath.Validate(Name, path, allowRoot: true);
        return AzurePendingUploads.ListAsync(_context, path, cancellationToken);
    }
}
