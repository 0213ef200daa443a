using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Registry.Storage.Drivers.Shared;

namespace Registry.Storage.Drivers.Swift;

/// <summary>What a HEAD on an object tells.</summary>
/// <param name="Size">The content length (for manifests: the whole large object's).</param>
/// <param name="ModTime">When it was written (<c>X-Timestamp</c>, microseconds).</param>
/// <param name="IsStaticLargeObject">An SLO manifest (<c>X-Static-Large-Object: True</c>).</param>
/// <param name="DynamicManifest">A DLO manifest's <c>X-Object-Manifest</c> (<c>container/prefix</c>), or null.</param>
internal sealed record SwiftObjectInfo(long Size, DateTimeOffset ModTime, bool IsStaticLargeObject, string? DynamicManifest)
{
    /// <summary>Whether the object is a manifest whose content lives in segments.</summary>
    public bool IsManifest => IsStaticLargeObject || DynamicManifest is not null;
}

/// <summary>An open GET: the body, whether the object is an SLO manifest, and the bytes that follow (when known).</summary>
internal sealed record SwiftReadResponse(Stream Body, bool IsStaticLargeObject, long? Length);

/// <summary>
/// Swift's object API for one container (one method per call, as OpenDAL's <c>core.rs</c>):
/// this part holds the plain object calls; listing, large objects, bulk delete and account
/// calls are in the other <c>SwiftClient.*.cs</c> files. Every failure becomes a driver error
/// naming the storage path (or the object name for segments and records).
/// </summary>
internal sealed partial class SwiftClient
{
    private const string OctetStream = "application/octet-stream";
    private readonly SwiftConnection _connection;
    private readonly SwiftLayout _layout;

    public SwiftClient(SwiftConnection connection, string container, SwiftLayout layout)
    {
        _connection = connection;
        Container = container;
        _layout = layout;
    }

    /// <summary>The container everything lives in.</summary>
    public string Container { get; }

    /// <summary>The authenticated channel.</summary>
    public SwiftConnection Connection => _connection;

    /// <summary>HEAD: the object's size, time and manifest kind, or null when absent.</summary>
    public async Task<SwiftObjectInfo?> HeadAsync(string key, CancellationToken cancellationToken)
    {
        using var response = await SendAsync("stat", key, s => new HttpRequestMessage(HttpMethod.Head, ObjectUri(s, key)), cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        EnsureSuccess("stat", key, response);
        return new SwiftObjectInfo(
            response.Content.Headers.ContentLength ?? 0,
            ModTimeOf(response),
            string.Equals(Header(response, "X-Static-Large-Object"), "true", StringComparison.OrdinalIgnoreCase),
            Header(response, "X-Object-Manifest"));
    }

    /// <summary>GET the whole object, or null when absent.</summary>
    public async Task<byte[]?> GetBytesAsync(string key, CancellationToken cancellationToken)
    {
        using var response = await SendAsync("get", key, s => new HttpRequestMessage(HttpMethod.Get, ObjectUri(s, key)), cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        EnsureSuccess("get", key, response);
        return await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A stream from <paramref name="offset"/> (empty at or past the end), or null when absent.</summary>
    public async Task<Stream?> OpenReadAsync(string key, long offset, CancellationToken cancellationToken, string? container = null) =>
        (await OpenReadResponseAsync(key, offset, cancellationToken, container).ConfigureAwait(false))?.Body;

    /// <summary>Like <see cref="OpenReadAsync"/>, also telling whether the object is an SLO and how many bytes follow.</summary>
    public async Task<SwiftReadResponse?> OpenReadResponseAsync(string key, long offset, CancellationToken cancellationToken, string? container = null)
    {
        var response = await GetAsync(key, offset, null, null, container, cancellationToken).ConfigureAwait(false);
        try
        {
            switch (response.StatusCode)
            {
                case HttpStatusCode.NotFound:
                    response.Dispose();
                    return null;
                case HttpStatusCode.RequestedRangeNotSatisfiable:
                    // Only an offset at or past the end is unsatisfiable: that reads as empty.
                    response.Dispose();
                    return new SwiftReadResponse(new MemoryStream([], writable: false), false, 0);
            }

            EnsureSuccess("read", key, response);
            var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            var isSlo = string.Equals(Header(response, "X-Static-Large-Object"), "true", StringComparison.OrdinalIgnoreCase);
            var length = response.Content.Headers.ContentLength;
            // Swift sends the ETag unquoted, which HttpClient's typed header refuses: take it as sent.
            var etag = Header(response, "ETag");
            ResponseStream.Reopen? reopen = etag is null || length is null ? null : async (next, end, ct) =>
            {
                // Resume a broken body from the byte reached, pinned to the version the read began with.
                var resumed = await GetAsync(key, next, end, etag, container, ct).ConfigureAwait(false);
                if (resumed.StatusCode == HttpStatusCode.PreconditionFailed)
                {
                    resumed.Dispose();
                    return null;
                }

                EnsureSuccess("read", key, resumed);
                return (resumed, await resumed.Content.ReadAsStreamAsync(ct).ConfigureAwait(false));
            };
            return new SwiftReadResponse(new ResponseStream(response, body, key, offset, length, reopen), isSlo, length);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    private Task<HttpResponseMessage> GetAsync(string key, long offset, long? end, string? ifMatch, string? container, CancellationToken cancellationToken) =>
        SendAsync("read", key, s =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, container is null ? ObjectUri(s, key) : SegmentUri(s, container, key));
            if (offset > 0 || end is not null)
            {
                request.Headers.Range = new RangeHeaderValue(offset, end - 1);
            }

            if (ifMatch is not null)
            {
                request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
            }

            return request;
        }, cancellationToken, HttpCompletionOption.ResponseHeadersRead);

    /// <summary>PUT the whole content in one request (atomic in Swift), verified by its MD5; returns that MD5.</summary>
    public async Task<string> PutAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        var etag = Md5Hex(content.Span);
        using var response = await SendAsync("put", key, s => new HttpRequestMessage(HttpMethod.Put, ObjectUri(s, key))
        {
            Content = OctetContent(content, etag),
        }, cancellationToken).ConfigureAwait(false);
        EnsureSuccess("put", key, response);
        return etag;
    }

    /// <summary>Server-side copy (<c>X-Copy-From</c>); false when the source is absent.</summary>
    public async Task<bool> CopyAsync(string sourceKey, string destinationKey, CancellationToken cancellationToken)
    {
        using var response = await SendAsync("copy", sourceKey, s =>
        {
            var request = new HttpRequestMessage(HttpMethod.Put, ObjectUri(s, destinationKey)) { Content = new ByteArrayContent([]) };
            request.Headers.TryAddWithoutValidation("X-Copy-From", "/" + Uri.EscapeDataString(Container) + "/" + EscapeKey(sourceKey));
            return request;
        }, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }

        EnsureSuccess("copy", sourceKey, response);
        return true;
    }

    /// <summary>DELETE one object (for a manifest: the manifest only); false when absent.</summary>
    public async Task<bool> DeleteAsync(string key, CancellationToken cancellationToken)
    {
        using var response = await SendAsync("delete", key, s => new HttpRequestMessage(HttpMethod.Delete, ObjectUri(s, key)), cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }

        EnsureSuccess("delete", key, response);
        return true;
    }

    /// <summary>The URL of <paramref name="key"/> in this container under <paramref name="storageUrl"/>.</summary>
    public Uri ObjectUri(Uri storageUrl, string key, string? query = null) =>
        new(storageUrl.AbsoluteUri.TrimEnd('/') + "/" + Uri.EscapeDataString(Container) + "/" + EscapeKey(key) + (query is null ? "" : "?" + query));

    private static Uri SegmentUri(Uri storageUrl, string container, string key) =>
        new(storageUrl.AbsoluteUri.TrimEnd('/') + "/" + Uri.EscapeDataString(container) + "/" + EscapeKey(key));

    private static Uri ContainerUri(Uri storageUrl, string container, string? query = null) =>
        new(storageUrl.AbsoluteUri.TrimEnd('/') + "/" + Uri.EscapeDataString(container) + (query is null ? "" : "?" + query));

    /// <summary>Escapes each segment of an object name, keeping the slashes.</summary>
    public static string EscapeKey(string key) => string.Join('/', key.Split('/').Select(Uri.EscapeDataString));

    /// <summary>The lower-case hex MD5 Swift reports as ETag.</summary>
    public static string Md5Hex(ReadOnlySpan<byte> data)
    {
#pragma warning disable CA5351 // MD5 is Swift's integrity check (ETag), not a security measure.
        return Convert.ToHexStringLower(MD5.HashData(data));
#pragma warning restore CA5351
    }

    private static PartContent OctetContent(ReadOnlyMemory<byte> content, string? etag)
    {
        var body = new PartContent(content);
        body.Headers.ContentType = new MediaTypeHeaderValue(OctetStream);
        if (etag is not null)
        {
            // Swift checks the body against it and refuses a corrupted upload with 422.
            body.Headers.TryAddWithoutValidation("ETag", etag);
        }

        return body;
    }

    private async Task<HttpResponseMessage> SendAsync(
        string operation,
        string key,
        Func<Uri, HttpRequestMessage> build,
        CancellationToken cancellationToken,
        HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead)
    {
        try
        {
            return await _connection.SendAsync(build, cancellationToken, completion).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw SwiftErrors.Wrap(operation, Describe(key), ex);
        }
    }

    private void EnsureSuccess(string operation, string key, HttpResponseMessage response)
    {
        if (!response.IsSuccessStatusCode)
        {
            // A 404 here is not "path not found" for the caller (that case was handled): report the status.
            throw response.StatusCode == HttpStatusCode.NotFound
                ? SwiftErrors.FromStatus(operation, null, response.StatusCode, response.ReasonPhrase + " for " + Describe(key))
                : SwiftErrors.FromResponse(operation, Describe(key), response);
        }
    }

    // Errors name the storage path when the object is a file, else the object name.
    private string Describe(string key) => _layout.IsFileKey(key) ? _layout.PathOf(key) : key;

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? values.FirstOrDefault()
            : null;

    // X-Timestamp (seconds with microseconds) is finer than Last-Modified (whole seconds, rounded up).
    private static DateTimeOffset ModTimeOf(HttpResponseMessage response) =>
        decimal.TryParse(Header(response, "X-Timestamp"), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.UnixEpoch.AddTicks((long)(seconds * TimeSpan.TicksPerSecond))
            : response.Content.Headers.LastModified ?? DateTimeOffset.MinValue;
}
