using System.Net;
using System.Net.Http.Headers;
using Registry.Storage.Drivers.Oss.Signing;

namespace Registry.Storage.Drivers.Oss;

/// <summary>One OSS request before signing.</summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="Key">The object key; empty for bucket operations.</param>
/// <param name="Operation">The OSS API name, for error messages.</param>
/// <param name="Path">The storage path concerned, for error messages (and PathNotFound).</param>
internal sealed record OssCall(HttpMethod Method, string Key, string Operation, string? Path)
{
    /// <summary>Query parameters in wire order; a null value is a bare flag.</summary>
    public List<KeyValuePair<string, string?>> Query { get; init; } = [];

    /// <summary>Headers beyond the content headers and the signing headers.</summary>
    public List<KeyValuePair<string, string>> Headers { get; init; } = [];

    /// <summary>The body, if any.</summary>
    public HttpContent? Content { get; init; }

    /// <summary>The body's <c>Content-Type</c> (signed, so set explicitly, never left to HttpClient).</summary>
    public string? ContentType { get; init; }

    /// <summary>The body's <c>Content-MD5</c>, when the call sends one.</summary>
    public string? ContentMd5 { get; init; }

    /// <summary>Error statuses the caller handles itself (HEAD's 404, a range's 416) instead of an exception.</summary>
    public HttpStatusCode[] Expected { get; init; } = [];
}

/// <summary>
/// OSS's REST protocol over HttpClient: builds virtual-hosted URLs, signs with the configured
/// version, sends, and turns error answers into the contract's exceptions. One method per OSS
/// call lives in the partial files next to this one.
/// </summary>
internal sealed partial class OssClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly IOssSigner _signer;
    private readonly TimeProvider _time;

    public OssClient(string driverName, OssParameters parameters, TimeProvider time, HttpMessageHandler? handler = null)
    {
        DriverName = driverName;
        Parameters = parameters;
        _time = time;
        _signer = parameters.CreateSigner();
        _http = new HttpClient(handler ?? OssHttp.CreateHandler(parameters.TestLoopback), disposeHandler: true)
        {
            // Bounds a request until its answer's headers (bodies are read with ResponseHeadersRead,
            // so a stream of many GiB is not cut off): a server that accepts and then says
            // nothing fails the call instead of hanging it. 15 minutes leaves room for a 1 GiB
            // part on a slow link, as the Swift driver allows.
            Timeout = TimeSpan.FromMinutes(15),
        };
    }

    public string DriverName { get; }

    public OssParameters Parameters { get; }

    /// <summary>
    /// Sends <paramref name="call"/>; returns the response (headers read, body unread) on success or an expected status.
    /// A refused connection is retried for every call (nothing reached the server); a dropped
    /// connection or a 5xx answer is retried for every call but InitiateMultipartUpload, whose
    /// repetition would leave an orphaned upload behind. Two retries after 250 ms and 1 s, as the
    /// Swift driver does: without them one reset connection failed a whole blob upload.
    /// </summary>
    public async Task<HttpResponseMessage> SendAsync(OssCall call, CancellationToken cancellationToken)
    {
        try
        {
            for (var attempt = 0; ; attempt++)
            {
                var last = attempt == RetryDelays.Length;
                var response = await SendOnceAsync(call, retryable: !last, cancellationToken).ConfigureAwait(false);
                if (response is null)
                {
                    await Task.Delay(RetryDelays[attempt], _time, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                if (response.IsSuccessStatusCode || call.Expected.Contains(response.StatusCode))
                {
                    return response;
                }

                if (!last && (int)response.StatusCode >= 500 && IsRepeatable(call))
                {
                    response.Dispose();
                    await Task.Delay(RetryDelays[attempt], _time, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                using (response)
                {
                    var body = call.Method == HttpMethod.Head ? null : await ReadErrorBodyAsync(response, cancellationToken).ConfigureAwait(false);
                    var requestId = response.Headers.TryGetValues("x-oss-request-id", out var ids) ? ids.FirstOrDefault() : null;
                    throw OssErrors.Map(DriverName, call.Operation, call.Path, OssErrors.Parse(response.StatusCode, body, requestId));
                }
            }
        }
        finally
        {
            call.Content?.Dispose();
        }
    }

    // One attempt: the response, or null when the connection failed and the call may be repeated.
    private async Task<HttpResponseMessage?> SendOnceAsync(OssCall call, bool retryable, CancellationToken cancellationToken)
    {
        // A fresh request per attempt (a request is sent once); the buffered body is shared between attempts.
        var request = BuildRequest(call);
        try
        {
            return await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex) when (retryable && (IsRefused(ex) || IsRepeatable(call)))
        {
            return null;
        }
        catch (HttpRequestException ex)
        {
            throw OssErrors.Network(DriverName, call.Operation, call.Path, ex);
        }
        catch (TaskCanceledException ex) when (ex.InnerException is TimeoutException && !cancellationToken.IsCancellationRequested)
        {
            // HttpClient.Timeout, not the caller: a named, transient failure.
            throw OssErrors.Network(DriverName, call.Operation, call.Path, ex);
        }
        finally
        {
            request.Content = null;
            request.Dispose();
        }
    }

    private static readonly TimeSpan[] RetryDelays = [TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(1)];

    // Every call but InitiateMultipartUpload (POST ?uploads) may be repeated: PUTs of whole
    // buffers, GET, HEAD, DELETE, batch delete, and CompleteMultipartUpload (a repeat after a
    // lost answer fails with NoSuchUpload: reported as a failure, never as a false success).
    private static bool IsRepeatable(OssCall call) =>
        !(call.Method == HttpMethod.Post && call.Query.Any(q => q.Key == "uploads"));

    private static bool IsRefused(HttpRequestException ex) =>
        ex.HttpRequestError == HttpRequestError.ConnectionError && ex.InnerException is System.Net.Sockets.SocketException { SocketErrorCode: System.Net.Sockets.SocketError.ConnectionRefused };

    /// <summary>Sends <paramref name="call"/> and discards the answer's body.</summary>
    public async Task SendAndForgetAsync(OssCall call, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(call, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends <paramref name="call"/> and reads its (small, XML) answer.</summary>
    public async Task<string> SendForTextAsync(OssCall call, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(call, cancellationToken).ConfigureAwait(false);
        return await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A presigned URL for <paramref name="method"/> on <paramref name="key"/>, valid for <paramref name="expiry"/>.</summary>
    public Uri Presign(string method, string key, TimeSpan expiry)
    {
        var request = new OssSigningRequest(method, Parameters.Bucket, key, [], []);
        // Test-only: a plain HTTP client cannot resolve the stand-in's virtual host, so the URL
        // names 127.0.0.1 path-style (the signature covers bucket and key, not the Host).
        var host = Parameters.TestLoopback ? new UriBuilder(Parameters.Endpoint.Scheme, "127.0.0.1", Parameters.Endpoint.Port, "/" + Parameters.Bucket).Uri : Parameters.BucketBase;
        return OssUrl.Presigned(host, request, _signer.Presign(request, _time.GetUtcNow(), expiry));
    }

    private HttpRequestMessage BuildRequest(OssCall call)
    {
        var headers = new List<KeyValuePair<string, string>>(call.Headers);
        if (call.ContentType is not null)
        {
            headers.Add(new("Content-Type", call.ContentType));
        }

        if (call.ContentMd5 is not null)
        {
            headers.Add(new("Content-MD5", call.ContentMd5));
        }

        _signer.AddSigningHeaders(headers, _time.GetUtcNow());
        var signature = _signer.Sign(new OssSigningRequest(call.Method.Method, Parameters.Bucket, call.Key, call.Query, headers));

        var request = new HttpRequestMessage(call.Method, OssUrl.Build(Parameters.BucketBase, call.Key, call.Query)) { Content = call.Content };
        foreach (var (name, value) in headers)
        {
            if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase) || name.Equals("Content-MD5", StringComparison.OrdinalIgnoreCase))
            {
                request.Content ??= new ByteArrayContent([]);
                request.Content.Headers.Remove(name); // a retry reuses the content: sign it afresh, never twice
                request.Content.Headers.TryAddWithoutValidation(name, value);
            }
            else
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }
        }

        request.Headers.TryAddWithoutValidation("Authorization", signature.Authorization);
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("Registry.Storage.Drivers.Oss", "1.0"));
        return request;
    }

    private static async Task<string> ReadErrorBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        // Error documents are small; bound the read anyway so a misbehaving server cannot flood memory.
        var buffer = new byte[64 * 1024];
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var total = 0;
            int read;
            while (total < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken).ConfigureAwait(false)) > 0)
            {
                total += read;
            }

            return System.Text.Encoding.UTF8.GetString(buffer, 0, total);
        }
    }

    public void Dispose() => _http.Dispose();
}
