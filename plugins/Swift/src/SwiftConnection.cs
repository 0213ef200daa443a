using System.Net;
using Registry.Storage.Drivers.Swift.Auth;

namespace Registry.Storage.Drivers.Swift;

/// <summary>
/// The authenticated channel to one Swift account: sends requests with the current token and,
/// when Swift answers 401 (token expired or revoked), authenticates once more and repeats the
/// request once. Concurrent requests that hit the same expired token share one re-auth.
/// Transient failures (5xx, dropped connections) are retried twice with a short backoff.
/// </summary>
internal sealed class SwiftConnection : IDisposable
{
    private readonly HttpClient _http;
    private readonly ISwiftAuthenticator _authenticator;
    private readonly SemaphoreSlim _authLock = new(1, 1);
    private SwiftSession? _session;

    public SwiftConnection(HttpClient http, ISwiftAuthenticator authenticator)
    {
        _http = http;
        _authenticator = authenticator;
    }

    /// <summary>The HTTP client (for unauthenticated calls such as <c>/info</c>).</summary>
    public HttpClient Http => _http;

    /// <summary>The storage URL of the current session (authenticates first if needed).</summary>
    public async Task<Uri> GetStorageUrlAsync(CancellationToken cancellationToken) =>
        (await GetSessionAsync(cancellationToken).ConfigureAwait(false)).StorageUrl;

    /// <summary>
    /// Sends the request <paramref name="build"/> makes for a storage URL; <paramref name="build"/>
    /// may run twice (after a 401), so it must create a fresh request with fresh content.
    /// </summary>
    public async Task<HttpResponseMessage> SendAsync(
        Func<Uri, HttpRequestMessage> build,
        CancellationToken cancellationToken,
        HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead)
    {
        var session = await GetSessionAsync(cancellationToken).ConfigureAwait(false);
        var response = await SendRetryingAsync(build, session, completion, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Unauthorized)
        {
            return response;
        }

        response.Dispose();
        session = await RefreshAsync(session, cancellationToken).ConfigureAwait(false);
        return await SendRetryingAsync(build, session, completion, cancellationToken).ConfigureAwait(false);
    }

    // Every request this driver sends is idempotent (PUT of a whole buffer, GET, HEAD, DELETE,
    // metadata POST, bulk delete), so a busy proxy's 5xx or a dropped connection is retried
    // twice after a short backoff, as distribution's Swift client retried.
    private async Task<HttpResponseMessage> SendRetryingAsync(Func<Uri, HttpRequestMessage> build, SwiftSession session, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var last = attempt == RetryDelays.Length;
            try
            {
                var response = await SendOnceAsync(build, session, completion, cancellationToken).ConfigureAwait(false);
                if (last || !IsRetryable(response.StatusCode))
                {
                    return response;
                }

                response.Dispose();
            }
            catch (HttpRequestException) when (!last)
            {
                // connection refused or reset: try again below
            }

            await Task.Delay(RetryDelays[attempt], cancellationToken).ConfigureAwait(false);
        }
    }

    private static readonly TimeSpan[] RetryDelays = [TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(1)];

    private static bool IsRetryable(HttpStatusCode status) =>
        status is HttpStatusCode.InternalServerError or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;

    /// <summary>Replaces the current token (after Swift refused it inside a bulk answer, where no 401 status shows).</summary>
    public Task ReauthenticateAsync(CancellationToken cancellationToken) => RefreshAsync(_session, cancellationToken);

    /// <summary>Authenticates now (at driver creation, so bad credentials fail early).</summary>
    public Task<SwiftSession> GetSessionAsync(CancellationToken cancellationToken) =>
        _session is { } session ? Task.FromResult(session) : RefreshAsync(null, cancellationToken);

    private async Task<HttpResponseMessage> SendOnceAsync(Func<Uri, HttpRequestMessage> build, SwiftSession session, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        using var request = build(session.StorageUrl);
        request.Headers.TryAddWithoutValidation("X-Auth-Token", session.Token);
        return await _http.SendAsync(request, completion, cancellationToken).ConfigureAwait(false);
    }

    // Replaces `stale` with a new session unless another caller already did.
    private async Task<SwiftSession> RefreshAsync(SwiftSession? stale, CancellationToken cancellationToken)
    {
        await _authLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_session is { } current && !ReferenceEquals(current, stale))
            {
                return current;
            }

            _session = await _authenticator.AuthenticateAsync(_http, cancellationToken).ConfigureAwait(false);
            return _session;
        }
        finally
        {
            _authLock.Release();
        }
    }

    public void Dispose()
    {
        _http.Dispose();
        _authLock.Dispose();
    }
}
