using Registry.Storage.Drivers.Swift.Auth;

namespace Registry.Storage.Drivers.Swift;

/// <summary>
/// The swift driver (distribution's <c>swift</c>): OpenStack Swift over its REST API. Plain
/// objects at <c>{root}/files{path}</c> as distribution stores them; large objects as segments
/// plus an SLO manifest written on commit; DLO objects distribution wrote are read, moved and
/// deleted. Each operation lives in its own part (client, writer, lister, deleter).
/// </summary>
public sealed class SwiftDriver : IStorageDriver, IDisposable
{
    private readonly SwiftConnection _connection;
    private readonly SwiftClient _client;
    private readonly SwiftLayout _layout;
    private readonly SwiftDriverContext _context;
    private readonly SwiftUploads _uploads;
    private readonly SwiftLister _lister;
    private readonly SwiftDeleter _deleter;

    private SwiftDriver(SwiftConnection connection, SwiftClient client, SwiftLayout layout, SwiftDriverContext context)
    {
        _connection = connection;
        _client = client;
        _layout = layout;
        _context = context;
        _uploads = new SwiftUploads(client, layout, context);
        _lister = new SwiftLister(client, layout);
        _deleter = new SwiftDeleter(client, layout, context, _uploads);
        Capabilities = new DriverCapabilities
        {
            Redirect = context.TempUrl is not null,
            ResumableWrites = true,
            NativeWalk = true,
            ServerSideMove = true,
            ListUploads = true,
            BatchDeleteMax = context.BulkDeleteMax,
            WriteChunkSize = context.ChunkSize,
            MaxObjectSize = (long)context.ChunkSize * context.MaxManifestSegments,
        };
    }

    /// <inheritdoc />
    public string Name => SwiftErrors.DriverName;

    /// <inheritdoc />
    public DriverCapabilities Capabilities { get; }

    /// <summary>
    /// Authenticates, creates the container when missing, reads <c>/info</c> and sets up TempURL.
    /// <paramref name="handler"/> replaces the HTTP stack (tests count requests with it).
    /// </summary>
    internal static async Task<SwiftDriver> CreateAsync(SwiftParameters parameters, HttpMessageHandler? handler, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var http = new HttpClient(handler ?? SwiftHttp.CreateHandler(parameters.InsecureSkipVerify), disposeHandler: true)
        {
            // distribution's client allowed 15 minutes per request; streams are bounded by the caller's token.
            Timeout = TimeSpan.FromMinutes(15),
        };
        http.DefaultRequestHeaders.UserAgent.ParseAdd("registry-storage-swift/1.0");
        var connection = new SwiftConnection(http, CreateAuthenticator(parameters));
        try
        {
            var layout = new SwiftLayout(parameters.Root);
            var client = new SwiftClient(connection, parameters.Container, layout);
            try
            {
                await connection.GetSessionAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is SwiftAuthException or HttpRequestException)
            {
                throw DriverErrors.Backend(SwiftErrors.DriverName, "authenticate", null, ex, ex is HttpRequestException);
            }

            await client.EnsureContainerAsync(cancellationToken).ConfigureAwait(false);
            var info = await client.GetInfoAsync(cancellationToken).ConfigureAwait(false);
            var tempUrl = await SwiftTempUrlKey.ResolveAsync(client, parameters, info, cancellationToken).ConfigureAwait(false);
            var context = new SwiftDriverContext(
                (int)parameters.ChunkSize,
                parameters.UploadConcurrency,
                info is { BulkDeleteMax: > 0 } ? info.BulkDeleteMax : 1,
                info?.MaxManifestSegments ?? SwiftInfo.DefaultMaxManifestSegments,
                tempUrl,
                timeProvider);
            return new SwiftDriver(connection, client, layout, context);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private static ISwiftAuthenticator CreateAuthenticator(SwiftParameters p) => p.EffectiveAuthVersion switch
    {
        3 => new KeystoneV3Auth(p),
        2 => new KeystoneV2Auth(p),
        _ => new TempAuth(p.AuthUrl, p.Username, p.Password),
    };

    /// <inheritdoc />
    public async Task<byte[]> GetContentAsync(string path, CancellationToken cancellationToken = default)
    {
        StoragePath.Validate(Name, path);
        return await _client.GetBytesAsync(_layout.ObjectKey(path), cancellationToken).ConfigureAwait(false)
            ?? throw DriverErrors.PathNotFound(Name, path);
    }

    /// <inheritdoc />
    public async Task PutContentAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        StoragePath.Validate(Name, path);
        await _client.PutAsync(_layout.ObjectKey(path), content, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<Stream> ReaderAsync(string path, long offset, CancellationToken cancellationToken = default)
    {
        StoragePath.Validate(Name, path);
        if (offset < 0)
        {
            throw DriverErrors.InvalidOffset(Name, path, offset);
        }

        var key = _layout.ObjectKey(path);
        var response = await _client.OpenReadResponseAsync(key, offset, cancellationToken).ConfigureAwait(false)
            ?? throw DriverErrors.PathNotFound(Name, path);
        if (!response.IsStaticLargeObject || response.Length < 2L * _context.ChunkSize)
        {
            return response.Body;
        }

        // A large SLO reads faster segment by segment with the next GET in flight; the proxy's
        // own read waits a full request at every segment boundary.
        await response.Body.DisposeAsync().ConfigureAwait(false);
        var segments = await _client.GetStaticSegmentsAsync(key, cancellationToken).ConfigureAwait(false)
            ?? throw DriverErrors.PathNotFound(Name, path);
        return SwiftSegmentedReader.Create(_client, segments, path, offset);
    }

    /// <inheritdoc />
    public async Task<FileWriter> WriterAsync(string path, bool append, CancellationToken cancellationToken = default)
    {
        StoragePath.Validate(Name, path);
        return await _uploads.OpenAsync(path, append, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task<StorageFileInfo> StatAsync(string path, CancellationToken cancellationToken = default)
    {
        StoragePath.Validate(Name, path, allowRoot: true);
        return _lister.StatAsync(path, cancellationToken);
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
        return new SwiftMover(_client, _layout, _context).MoveAsync(sourcePath, destinationPath, cancellationToken);
    }

    /// <inheritdoc />
    public Task DeleteAsync(string path, CancellationToken cancellationToken = default)
    {
        StoragePath.Validate(Name, path);
        return _deleter.DeleteAsync(path, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>The pending-upload records closed writers left at or below the path (<see cref="SwiftUploads.ListPendingAsync"/>).</remarks>
    public IAsyncEnumerable<PendingUpload> ListUploadsAsync(string path, CancellationToken cancellationToken = default)
    {
        StoragePath.Validate(Name, path, allowRoot: true);
        return _uploads.ListPendingAsync(path, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<Uri?> RedirectUrlAsync(string path, RedirectOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        StoragePath.Validate(Name, path);
        if (_context.TempUrl is not { } tempUrl || !tempUrl.Supports(options.Method))
        {
            return null;
        }

        var storage = await _connection.GetStorageUrlAsync(cancellationToken).ConfigureAwait(false);
        var expires = _context.TimeProvider.GetUtcNow() + options.Expiry;
        return tempUrl.Sign(_client.ObjectUri(storage, _layout.ObjectKey(path)), options.Method, expires);
    }

    /// <inheritdoc />
    public Task WalkAsync(string path, WalkVisitor visitor, WalkOptions? options = null, CancellationToken cancellationToken = default)
    {
        StoragePath.Validate(Name, path, allowRoot: true);
        ArgumentNullException.ThrowIfNull(visitor);
        return _lister.WalkAsync(path, visitor, options, cancellationToken);
    }

    /// <summary>Releases the HTTP connections.</summary>
    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public void Dispose() => _connection.Dispose();

    /// <summary>The storage URL and token of the current session, for tests that talk to Swift directly.</summary>
    internal Task<SwiftSession> SessionAsync(CancellationToken cancellationToken) => _connection.GetSessionAsync(cancellationToken);

    /// <summary>The object client, for tests that lay out objects as other tools wrote them.</summary>
    internal SwiftClient Client => _client;

    /// <summary>The object layout.</summary>
    internal SwiftLayout Layout => _layout;
}
