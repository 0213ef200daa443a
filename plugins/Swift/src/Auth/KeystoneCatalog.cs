using System.Net.Http.Headers;
using System.Text.Json;

namespace Registry.Storage.Drivers.Swift.Auth;

/// <summary>Small helpers both Keystone versions use to read a service catalog.</summary>
internal static class KeystoneCatalog
{
    /// <summary>A string property, or null when absent or not a string.</summary>
    public static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    /// <summary>No configured region takes the first endpoint; otherwise the region name or id must match.</summary>
    public static bool RegionMatches(string? wanted, string? region, string? regionId) =>
        string.IsNullOrEmpty(wanted) || wanted == region || wanted == regionId;

    /// <summary>POSTs a JSON body (the token request of either Keystone version).</summary>
    public static async Task<HttpResponseMessage> PostJsonAsync(HttpClient http, Uri url, byte[] body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The URL with a trailing '/', so relative paths append to it instead of replacing its last segment.</summary>
    public static Uri WithTrailingSlash(Uri url) =>
        url.AbsoluteUri.EndsWith('/') ? url : new Uri(url.AbsoluteUri + "/");
}
