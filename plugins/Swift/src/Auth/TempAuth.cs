namespace Registry.Storage.Drivers.Swift.Auth;

/// <summary>
/// Auth v1 (tempauth, swauth, RGW): <c>GET authurl</c> with <c>X-Auth-User</c> and
/// <c>X-Auth-Key</c>; the answer's headers carry <c>X-Auth-Token</c> and <c>X-Storage-Url</c>.
/// </summary>
internal sealed class TempAuth(Uri authUrl, string user, string key) : ISwiftAuthenticator
{
    public async Task<SwiftSession> AuthenticateAsync(HttpClient http, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, authUrl);
        request.Headers.Add("X-Auth-User", user);
        request.Headers.Add("X-Auth-Key", key);
        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new SwiftAuthException($"auth v1 at {authUrl} answered {(int)response.StatusCode} {response.ReasonPhrase}");
        }

        var token = Header(response, "X-Auth-Token") ?? Header(response, "X-Storage-Token");
        var storageUrl = Header(response, "X-Storage-Url");
        if (token is null || storageUrl is null || !Uri.TryCreate(storageUrl, UriKind.Absolute, out var storage))
        {
            throw new SwiftAuthException($"auth v1 at {authUrl} returned no token or storage URL");
        }

        return new SwiftSession(token, storage);
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}
