using System.Net;
using System.Text.Json;

namespace Registry.Storage.Drivers.Swift.Auth;

/// <summary>
/// Keystone v3 password authentication (Identity API v3, <c>POST {authurl}/auth/tokens</c>):
/// the token comes back in <c>X-Subject-Token</c>, the storage URL from the catalog's
/// <c>object-store</c> service. Scope follows distribution's client: a trust when
/// <c>trustid</c> is set, else the project by id, else by name in its domain.
/// </summary>
internal sealed class KeystoneV3Auth(SwiftParameters parameters) : ISwiftAuthenticator
{
    public async Task<SwiftSession> AuthenticateAsync(HttpClient http, CancellationToken cancellationToken)
    {
        var url = new Uri(KeystoneCatalog.WithTrailingSlash(parameters.AuthUrl), "auth/tokens");
        using var response = await KeystoneCatalog.PostJsonAsync(http, url, BuildRequestBody(parameters), cancellationToken).ConfigureAwait(false);
        if (response.StatusCode is not (HttpStatusCode.Created or HttpStatusCode.OK))
        {
            throw new SwiftAuthException($"Keystone v3 at {url} answered {(int)response.StatusCode} {response.ReasonPhrase}");
        }

        var token = response.Headers.TryGetValues("X-Subject-Token", out var values) ? values.FirstOrDefault() : null;
        if (string.IsNullOrEmpty(token))
        {
            throw new SwiftAuthException($"Keystone v3 at {url} returned no X-Subject-Token");
        }

        using var body = await JsonDocument.ParseAsync(
            await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false),
            cancellationToken: cancellationToken).ConfigureAwait(false);
        var storage = FindStorageUrl(body.RootElement, parameters.EndpointType, parameters.Region)
            ?? throw new SwiftAuthException($"Keystone v3 catalog at {url} has no {parameters.EndpointType} object-store endpoint{(parameters.Region is null ? "" : " in region " + parameters.Region)}");
        return new SwiftSession(token, storage);
    }

    /// <summary>The request body (identity and scope), as the Identity API v3 reference describes it.</summary>
    internal static byte[] BuildRequestBody(SwiftParameters p)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartObject("auth");
            json.WriteStartObject("identity");
            json.WriteStartArray("methods");
            json.WriteStringValue("password");
            json.WriteEndArray();
            json.WriteStartObject("password");
            json.WriteStartObject("user");
            json.WriteString("name", p.Username);
            json.WriteString("password", p.Password);
            WriteDomain(json, p.Domain, p.DomainId);
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndObject();
            WriteScope(json, p);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static void WriteScope(Utf8JsonWriter json, SwiftParameters p)
    {
        if (p.TrustId is not null)
        {
            json.WriteStartObject("scope");
            json.WriteStartObject("OS-TRUST:trust");
            json.WriteString("id", p.TrustId);
            json.WriteEndObject();
            json.WriteEndObject();
            return;
        }

        if (p.TenantId is null && p.Tenant is null)
        {
            return; // unscoped: Keystone then uses the user's default project, if any
        }

        json.WriteStartObject("scope");
        json.WriteStartObject("project");
        if (p.TenantId is not null)
        {
            json.WriteString("id", p.TenantId);
        }
        else
        {
            json.WriteString("name", p.Tenant);
            // A project name is unique only within its domain: the tenant's domain, else the
            // user's, else Keystone's "Default" (as distribution's client chooses).
            if (p.TenantDomain is not null || p.TenantDomainId is not null)
            {
                WriteDomain(json, p.TenantDomain, p.TenantDomainId);
            }
            else if (p.Domain is not null || p.DomainId is not null)
            {
                WriteDomain(json, p.Domain, p.DomainId);
            }
            else
            {
                WriteDomain(json, "Default", null);
            }
        }

        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteDomain(Utf8JsonWriter json, string? name, string? id)
    {
        if (name is null && id is null)
        {
            return;
        }

        json.WriteStartObject("domain");
        if (name is not null)
        {
            json.WriteString("name", name);
        }
        else
        {
            json.WriteString("id", id);
        }

        json.WriteEndObject();
    }

    /// <summary>The <c>object-store</c> endpoint URL of the wanted interface (and region) in a v3 token body.</summary>
    internal static Uri? FindStorageUrl(JsonElement root, string endpointType, string? region)
    {
        if (!root.TryGetProperty("token", out var token) || !token.TryGetProperty("catalog", out var catalog) || catalog.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        foreach (var service in catalog.EnumerateArray())
        {
            if (KeystoneCatalog.Text(service, "type") != "object-store" || !service.TryGetProperty("endpoints", out var endpoints))
            {
                continue;
            }

            foreach (var endpoint in endpoints.EnumerateArray())
            {
                if (KeystoneCatalog.Text(endpoint, "interface") == endpointType
                    && KeystoneCatalog.RegionMatches(region, KeystoneCatalog.Text(endpoint, "region"), KeystoneCatalog.Text(endpoint, "region_id"))
                    && Uri.TryCreate(KeystoneCatalog.Text(endpoint, "url"), UriKind.Absolute, out var url))
                {
                    return url;
                }
            }
        }

        return null;
    }
}
