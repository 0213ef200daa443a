namespace Registry.Storage.Drivers.Oss;

/// <summary>
/// The oss driver: distribution's storage model over Alibaba Cloud OSS, speaking OSS's REST
/// protocol (<see cref="OssClient"/>). Thin: each operation maps to one or two OSS calls;
/// listing lives in <see cref="OssLister"/>, writing in <see cref="OssWriter"/>.
/// </summary>
public sealed class OssDriver : IStorageDriver, IDisposable
{
    /// <summary>The name the driver registers under.</summary>
    public const string DriverName = "oss";

    // How many parts of a server-side copy above CopyObject's limit copy at once.
    private const int CopyConcurrency = 4;

    private readonly OssClient _client;
    private readonly OssKeyLayout _layout;
    private readonly OssLister _lister;

    /// <summary>Creates a driver from parsed parameters.</summary>
    /// <param name="parameters">The configuration.</param>
    /// <param name="timeProvider">The clock for signatures and presigned URLs.</param>
    /// <param name="handler">The HTTP handler to send through; <see langword="null"/> for the driver's own.</param>
    public OssDriver(OssParameters parameters, TimeProvider? timeProvider = null, HttpMessageHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        _client = new OssClient(DriverName, parameters, timeProvider ?? TimeProvider.System, handler);
        _layout = new OssKeyLayout(parameters.RootDirectory);
        _lister = new OssLister(_client, _layout);
        Capabilities = new DriverCapabilities
        {
            Redirect = true,
            ResumableWrites = true,
            NativeWalk = true,
            ServerSideMove = true,
            ListUploads = true,
            BatchDeleteMax = OssClient.MaxDeleteKeys,
            WriteChunkSize = parameters.ChunkSize,
            MaxObjectSize = 10_000 * parameters.ChunkSize, // OSS allows 10 000 parts
        };
    }

    /// <inheritdoc />
    public string Name => DriverName;

    /// <summary>The largest object Move copies with one CopyObject (OSS: 1 GB); tests lower it to exercise UploadPartCopy.</summary>
    internal long CopyObjectLimit { get; init; } = OssClient.CopyObjectLimit;

    /// <summary>The part size of a copy through UploadPartCopy.</summary>
    internal long CopyPartSize { get; init; } = 256L << 20;

    /// <inheritdoc />
    public DriverCapabilities Capabilities { get; }

    /// <inheritdoc />
    public async Task<byte[]> GetContentAsync(string path, CancellationToken cancellationToken = default)
    {
        StoragePath.Validate(DriverName, path);
        // A body that breaks off after the headers (a reset mid-response) is read again: a GET
        // is safe to repeat. The last failure is reported naming the driver and the path.
        for (var attempt = 1; ; attempt++)
        {
            using var response = await _client.GetObjectAsync(_layout.KeyOf(path), 0, path, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException("a GetObject without range cannot be unsatisfiable");
            try
            {
                return await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException) when (attempt < 3 && !cancellationToken.IsCancellationRequested)
            {
                // the body broke off: read it again
            }
            catch (HttpRequestException ex)
            {
                throw OssErrors.Network(DriverName, "GetObject", path, ex);
            }
        }
    }

    /// <inheritdoc />
    public Task PutContentAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        StoragePath.Validate(DriverName, path);
        return _client.PutObjectAsync(_layout.KeyOf(path), content, path, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<Stream> ReaderAsync(string path, long offset, CancellationToken cancellationToken = default)
    {
        StoragePath.Validate(DriverName, path);
        if (offset < 0)
        {
            throw DriverErrors.InvalidOffset(DriverName, path, offset);
        }

        var response = await _client.GetObjectAsync(_layout.KeyOf(path), offset, path, cancellationToken).ConfigureAwait(false);
        if (response is null)
        {
            return Stream.Null; // offset at or past the end of an existing object
        }

        return await OssReadStream.OpenAsync(_client, _layout.KeyOf(path), path, offset, response, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<FileWriter> WriterAsync(string path, bool append, CancellationToken cancellationToken = default)
    {
        StoragePath.Validate(DriverName, path);
        return await OssWriter.OpenAsync(_client, _layout, path, append, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<StorageFileInfo> StatAsync(string path, CancellationToken cancellationToken = default)
    {
        StoragePath.Validate(DriverName, path, allowRoot: true);
        if (path == StoragePath.Root)
        {
            return StorageFileInfo.Directory(path);
        }

        if (await _client.HeadObjectAsync(_layout.KeyOf(path), path, cancellationToken).ConfigureAwait(false) is { } head)
        {
            return StorageFileInfo.File(path, head.Size, head.LastModified);
        }

        return await _lister.DirectoryExistsAsync(path, cancellationToken).ConfigureAwait(false)
            ? StorageFileInfo.Directory(path)
            : throw DriverErrors.PathNotFound(DriverName, path);
    }

    /// <inheritdoc />
    public IAsyncEnumerable<string> ListAsync(string path, CancellationToken cancellationToken = default)
    {
        StoragePath.Validate(DriverName, path, allowRoot: true);
        return _lister.ListAsync(path, cancellationToken);
    }

    /// <inheritdoc />
    public async Task MoveAsync(string sourcePath, string destinationPath, CancellationToken cancellationToken = default)
    {
        StoragePath.Validate(DriverName, sourcePath);
        StoragePath.Validate(DriverName, destinationPath);
        var sourceKey = _layout.KeyOf(sourcePath);
        var destinationKey = _layout.KeyOf(destinationPath);
        var head = await _client.HeadObjectAsync(sourceKey, sourcePath, cancellationToken).ConfigureAwait(false)
            ?? throw DriverErrors.PathNotFound(DriverName, sourcePath);
        if (sourceKey == destinationKey)
        {
            return; // copying onto itself and deleting the source would lose the file
        }

        if (head.Size <= CopyObjectLimit)
        {
            await _client.CopyObjectAsync(sourceKey, destinationKey, sourcePath, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await CopyInPartsAsync(sourceKey, destinationKey, head.Size, sourcePath, cancellationToken).ConfigureAwait(false);
        }

        await _client.DeleteObjectAsync(sourceKey, sourcePath, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>The multipart uploads under the path's prefix with the tails their writers stored (<see cref="OssPendingUploads"/>).</remarks>
    public IAsyncEnumerable<PendingUpload> ListUploadsAsync(string path, CancellationToken cancellationToken = default)
    {
        StoragePath.Validate(DriverName, path, allowRoot: true);
        return OssPendingUploads.ListAsync(_client, _layout, path, cancellationToken);
    }

    /// <inheritdoc />
    public async Task DeleteAsync(string path, CancellationToken cancellationToken = default)
    {
        StoragePath.Validate(DriverName, path);
        var deleted = await _lister.DeleteTreeAsync(path, cancellationToken).ConfigureAwait(false);

        // Uploads in progress there go too, also when nothing committed was there (still PathNotFound).
        await OssWriter.AbortUploadsAsync(_client, _layout, path, cancellationToken).ConfigureAwait(false);
        if (!deleted)
        {
            throw DriverErrors.PathNotFound(DriverName, path);
        }
    }

    /// <inheritdoc />
    public Task<Uri?> RedirectUrlAsync(string path, RedirectOptions options, CancellationToken cancellationToken = default)
    {
        StoragePath.Validate(DriverName, path);
        ArgumentNullException.ThrowIfNull(options);
        var method = options.Method.ToUpperInvariant();
        return Task.FromResult(method is "GET" or "HEAD" ? _client.Presign(method, _layout.KeyOf(path), options.Expiry) : null);
    }

    /// <inheritdoc />
    public Task WalkAsync(string path, WalkVisitor visitor, WalkOptions? options = null, CancellationToken cancellationToken = default)
    {
        StoragePath.Validate(DriverName, path, allowRoot: true);
        ArgumentNullException.ThrowIfNull(visitor);
        return _lister.WalkAsync(path, visitor, options, cancellationToken);
    }

    /// <inheritdoc />
    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public void Dispose() => _client.Dispose();

    // Above 1 GB OSS copies only part by part: UploadPartCopy of consecutive ranges, a few at once.
    private async Task CopyInPartsAsync(string sourceKey, string destinationKey, long size, string path, CancellationToken cancellationToken)
    {
        var uploadId = await _client.InitiateMultipartUploadAsync(destinationKey, path, cancellationToken).ConfigureAwait(false);
        try
        {
            var count = (int)((size + CopyPartSize - 1) / CopyPartSize);
            var parts = new OssPart[count];
            await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = CopyConcurrency, CancellationToken = cancellationToken }, async (index, ct) =>
            {
                var first = index * CopyPartSize;
                var last = Math.Min(size, first + CopyPartSize) - 1;
                var etag = await _client.UploadPartCopyAsync(destinationKey, uploadId, index + 1, sourceKey, first, last, path, ct).ConfigureAwait(false);
                parts[index] = new OssPart(index + 1, etag, last - first + 1);
            }).ConfigureAwait(false);
            await _client.CompleteMultipartUploadAsync(destinationKey, uploadId, parts, path, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await _client.AbortMultipartUploadAsync(destinationKey, uploadId, path, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }
}
