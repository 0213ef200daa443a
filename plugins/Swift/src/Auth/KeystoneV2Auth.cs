using System.Text.Json;

namespace Registry.Storage.Drivers.Swift.Auth;

/// <summary>
/// Keystone v2 (<c>POST {authurl}/tokens</c> with password credentials): the token is
/// <c>access.token.id</c>, the storage URL the <c>object-store</c> entry of
/// <c>access.serviceCatalog</c> (<c>publicURL</c>, <c>internalURL</c> or <c>adminURL</c>).
/// </summary>
internal sealed class KeystoneV2Auth(SwiftParameters parameters) : ISwiftAuthenticator
{
    public async Task<SwiftSession> AuthenticateAsync(HttpClient http, CancellationToken cancellationToken)
    {
        var url = new Uri(KeystoneCatalog.WithTrailingSlash(parameters.AuthUrl), "tokens");
        using var response = await KeystoneCatalog.PostJsonAsync(http, url, BuildRequestBody(parameters), cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new SwiftAuthException($"Keystone v2 at {url} answered {(int)response.StatusCode} {response.ReasonPhrase}");
        }

        using var body = await JsonDocument.ParseAsync(
            await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false),
            cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!body.RootElement.TryGetProperty("access", out var access)
            || !access.TryGetProperty("token", out var tokenElement)
            || KeystoneCatalog.Text(tokenElement, "id") is not { Length: > 0 } token)
        {
            throw new SwiftAuthException($"Keystone v2 at {url} returned no token");
        }

        var urlField = parameters.EndpointType + "URL";
        if (access.TryGetProperty("serviceCatalog", out var catalog) && catalog.ValueKind == JsonValueKind.Array)
        {
            foreach (var service in catalog.EnumerateArray())
            {
                if (KeystoneCatalog.Text(service, "type") != "object-store" || !service.TryGetProperty("endpoints", out var endpoints))
                {
                    continue;
                }

                foreach (var endpoint in endpoints.EnumerateArray())
                {
                    if (KeystoneCatalog.RegionMatches(parameters.Region, KeystoneCatalog.Text(endpoint, "region"), null)
                        && Uri.TryCreate(KeystoneCatalog.Text(endpoint, urlField), UriKind.Absolute, out var storage))
                    {
                        return new SwiftSession(token, storage);
                    }
                }
            }
        }

        throw new SwiftAuthException($"Keystone v2 catalog at {url} has no {parameters.EndpointType} object-store endpoint");
    }

    internal static byte[] BuildRequestBody(SwiftParameters p)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartObject("auth");
            json.WriteStartObject("passwordCredentials");
            json.WriteString("username", p.Username);
            json.WriteString("password", p.Password);
            json.WriteEndObject();
            if (p.TenantId is not null)
            {
                json.WriteString("tenantId", p.TenantId);
            }
            else if (p.Tenant is not null)
            {
                json.WriteString("tenantName", p.Tenant);
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
