using Amazon.S3;
using Amazon.S3.Model;

namespace Registry.Storage.Drivers.S3;

/// <summary>
/// The s3 driver (distribution's <c>s3-aws</c>): objects in one bucket under the key
/// rootdirectory + path without its leading slash, so an existing registry bucket works
/// unchanged. Thin: each operation is one SDK call or handed to the part that owns it.
/// </summary>
public sealed class S3Driver : IStorageDriver, IDisposable
{
    private readonly S3Store _store;
    private readonly S3Lister _lister;
    private readonly S3Deleter _deleter;
    private readonly S3Mover _mover;

    /// <summary>Creates the driver from parsed parameters.</summary>
    public S3Driver(S3Parameters parameters, string name = S3DriverFactory.DriverName)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        _store = new S3Store(name, parameters);
        _lister = new S3Lister(_store);
        _deleter = new S3Deleter(_store);
        _mover = new S3Mover(_store);
        Capabilities = new DriverCapabilities
        {
            Redirect = true,
            ResumableWrites = true,
            NativeWalk = true,
            ServerSideMove = true,
            ListUploads = true,
            BatchDeleteMax = S3Deleter.BatchSize,
            WriteChunkSize = parameters.ChunkSize,
            // 10 000 parts of chunksize (S3's cap is 5 TiB).
            MaxObjectSize = Math.Min(10_000 * parameters.ChunkSize, 5L << 40),
        };
    }

    /// <inheritdoc />
    public string Name => _store.DriverName;

    /// <inheritdoc />
    public DriverCapabilities Capabilities { get; }

    /// <summary>The parsed configuration (credentials masked in ToString).</summary>
    public S3Parameters Parameters => _store.Parameters;

    internal IAmazonS3 Client => _store.Client;

    private S3Parameters P => _store.Parameters;

    /// <inheritdoc />
    public async Task<byte[]> GetContentAsync(string path, CancellationToken cancellationToken = default)
    {
        StoragePath.Validate(Name, path);
        // The SDK retries a failed request but not a body that breaks off after the headers
        // (a reset mid-response); a GET is safe to repeat, so the whole read is, twice.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                using var response = await _store.Client.GetObjectAsync(_store.Bucket, P.KeyOf(path), cancellationToken).ConfigureAwait(false);
                var content = new byte[response.ContentLength];
                await response.ResponseStream.ReadExactlyAsync(content, cancellationToken).ConfigureAwait(false);
                return content;
            }
            catch (Exception ex) when (attempt < 3 && ex is IOException && !cancellationToken.IsCancellationRequested)
            {
                // the body broke off: read it again
            }
            catch (Exception ex)
            {
                throw _store.Error("GetContent", path, ex);
            }
        }
    }

    /// <inheritdoc />
    public async Task PutContentAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        StoragePath.Validate(Name, path);
        var request = _store.NewPut(P.KeyOf(path));
        // One PUT replaces the object atomically; readers see the old or the new content.
        using var body = content.Length == 0 ? new MemoryStream() : AsStream(content);
        request.InputStream = body;
        request.AutoCloseStream = false;
        try
        {
            await _store.Client.PutObjectAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            throw _store.Error("PutContent", path, ex);
        }
    }

    /// <inheritdoc />
    public async Task<Stream> ReaderAsync(string path, long offset, CancellationToken cancellationToken = default)
    {
        StoragePath.Validate(Name, path);
        if (offset < 0)
        {
            throw DriverErrors.InvalidOffset(Name, path, offset);
        }

        var request = new GetObjectRequest { BucketName = _store.Bucket, Key = P.KeyOf(path) };
        if (offset > 0)
        {
            request.ByteRange = new ByteRange($"bytes={offset}-");
        }

        try
        {
            var response = await _store.Client.GetObjectAsync(request, cancellationToken).ConfigureAwait(false);
            return new S3ReadStream(response, _store, path, request.Key, offset);
        }
        catch (AmazonS3Exception ex) when (ex.ErrorCode == "InvalidRange")
        {
            // At or past the end: an empty stream, as distribution returns.
            return Stream.Null;
        }
        catch (Exception ex)
        {
            throw _store.Error("Reader", path, ex);
        }
    }

    /// <inheritdoc />
    public async Task<FileWriter> WriterAsync(string path, bool append, CancellationToken cancellationToken = default)
    {
        StoragePath.Validate(Name, path);
        return append
            ? await S3Writer.ResumeAsync(_store, path, cancellationToken).ConfigureAwait(false)
            : await S3Writer.CreateAsync(_store, path, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<StorageFileInfo> StatAsync(string path, CancellationToken cancellationToken = default)
    {
        StoragePath.Validate(Name, path, allowRoot: true);
        if (path == StoragePath.Root)
        {
            return StorageFileInfo.Directory(path);
        }

        try
        {
            var head = await _store.Client.GetObjectMetadataAsync(_store.Bucket, P.KeyOf(path), cancellationToken).ConfigureAwait(false);
            return StorageFileInfo.File(path, head.ContentLength, head.LastModified is { } m ? new DateTimeOffset(m.ToUniversalTime()) : default);
        }
        catch (Exception ex) when (S3Errors.IsNotFound(ex))
        {
            // No object: a directory if anything lives below it.
        }
        catch (Exception ex)
        {
            throw _store.Error("Stat", path, ex);
        }

        return await _lister.HasDescendantsAsync(path, cancellationToken).ConfigureAwait(false)
            ? StorageFileInfo.Directory(path)
            : throw DriverErrors.PathNotFound(Name, path);
    }

    /// <inheritdoc />
    public IAsyncEnumerable<string> ListAsync(string path, CancellationToken cancellationToken = default)
    {
        StoragePath.Validate(Name, path, allowRoot: true);
        return _lister.ListAsync(path, cancellationToken);
    }

    /// <inheritdoc />
    public Task MoveAsync(string sourcePath, string destinationPath, CancellationToken cancellationToken = default)
    {
        StoragePath.Validate(Name, sourcePath);
        StoragePath.Validate(Name, destinationPath);
        return _mover.MoveAsync(sourcePath, destinationPath, cancellationToken);
    }

    /// <inheritdoc />
    public Task DeleteAsync(string path, CancellationToken cancellationToken = default)
    {
        StoragePath.Validate(Name, path);
        return _deleter.DeleteAsync(path, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<Uri?> RedirectUrlAsync(string path, RedirectOptions options, CancellationToken cancellationToken = default)
    {
        StoragePath.Validate(Name, path);
        ArgumentNullException.ThrowIfNull(options);
        var verb = options.Method.ToUpperInvariant() switch
        {
            "GET" => HttpVerb.GET,
            "HEAD" => HttpVerb.HEAD,
            _ => (HttpVerb?)null,
        };
        if (verb is null)
        {
            return null;
        }

        var url = await _store.Presigner.GetPreSignedURLAsync(new GetPreSignedUrlRequest
        {
            BucketName = _store.Bucket,
            Key = P.KeyOf(path),
            Verb = verb.Value,
            Expires = P.TimeProvider.GetUtcNow().UtcDateTime + options.Expiry,
            // The request defaults to HTTPS whatever the client's endpoint says.
            Protocol = _store.PresignOverHttp ? Protocol.HTTP : Protocol.HTTPS,
        }).ConfigureAwait(false);
        return new Uri(url);
    }

    /// <inheritdoc />
    public Task WalkAsync(string path, WalkVisitor visitor, WalkOptions? options = null, CancellationToken cancellationToken = default)
    {
        StoragePath.Validate(Name, path, allowRoot: true);
        ArgumentNullException.ThrowIfNull(visitor);
        return _lister.WalkAsync(path, visitor, options, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>The multipart uploads under the path's prefix (<see cref="S3Uploads.ListPendingAsync"/>).</remarks>
    public IAsyncEnumerable<PendingUpload> ListUploadsAsync(string path, CancellationToken cancellationToken = default)
    {
        StoragePath.Validate(Name, path, allowRoot: true);
        return new S3Uploads(_store).ListPendingAsync(path, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public void Dispose() => _store.Dispose();

    private static MemoryStream AsStream(ReadOnlyMemory<byte> content) =>
        System.Runtime.InteropServices.MemoryMarshal.TryGetArray(content, out var segment) && segment.Array is not null
            ? new MemoryStream(segment.Array, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(content.ToArray(), writable: false);
}
