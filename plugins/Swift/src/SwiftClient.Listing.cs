using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace Registry.Storage.Drivers.Swift;

/// <summary>One entry of a container listing: an object, or (with a delimiter) a pseudo-directory.</summary>
/// <param name="Name">The object name, or the <c>subdir</c> (ending with the delimiter).</param>
/// <param name="Bytes">The size (an SLO manifest reports its whole content; a DLO manifest 0).</param>
/// <param name="LastModified">When it was written (UTC).</param>
/// <param name="IsStaticLargeObject">Whether the listing marks it as an SLO manifest (<c>slo_etag</c>).</param>
/// <param name="IsSubdirectory">Whether this is a <c>subdir</c> entry of a delimited listing.</param>
internal sealed record SwiftListingEntry(string Name, long Bytes, DateTimeOffset LastModified, bool IsStaticLargeObject, bool IsSubdirectory);

internal sealed partial class SwiftClient
{
    /// <summary>Swift's default and maximum page size (<c>container_listing_limit</c>).</summary>
    public const int ListingPageSize = 10_000;

    /// <summary>
    /// The container listing below <paramref name="prefix"/> in name order, page by page with
    /// <c>marker</c> (so memory stays one page); entries after <paramref name="startAfter"/> only.
    /// </summary>
    public async IAsyncEnumerable<SwiftListingEntry> ListAsync(
        string prefix,
        bool delimited,
        string? startAfter,
        [EnumeratorCancellation] CancellationToken cancellationToken,
        int pageSize = ListingPageSize,
        string? container = null)
    {
        var marker = startAfter;
        while (true)
        {
            var page = await ListPageAsync(container ?? Container, prefix, delimited, marker, pageSize, cancellationToken).ConfigureAwait(false);
            foreach (var entry in page)
            {
                yield return entry;
            }

            if (page.Count < pageSize)
            {
                yield break;
            }

            marker = page[^1].Name;
        }
    }

    private async Task<List<SwiftListingEntry>> ListPageAsync(string container, string prefix, bool delimited, string? marker, int pageSize, CancellationToken cancellationToken)
    {
        var query = new StringBuilder("format=json&limit=").Append(pageSize.ToString(CultureInfo.InvariantCulture))
            .Append("&prefix=").Append(Uri.EscapeDataString(prefix));
        if (delimited)
        {
            query.Append("&delimiter=%2F");
        }

        if (!string.IsNullOrEmpty(marker))
        {
            query.Append("&marker=").Append(Uri.EscapeDataString(marker));
        }

        var queryText = query.ToString();
        using var response = await SendAsync("list", prefix, s => new HttpRequestMessage(HttpMethod.Get, ContainerUri(s, container, queryText)), cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NoContent)
        {
            return [];
        }

        if (!response.IsSuccessStatusCode)
        {
            throw SwiftErrors.FromStatus("list", null, response.StatusCode, $"{response.ReasonPhrase} listing container {container}");
        }

        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var document = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken).ConfigureAwait(false);
        return ParseListing(document.RootElement);
    }

    /// <summary>Reads a JSON container listing (objects and <c>subdir</c> entries).</summary>
    internal static List<SwiftListingEntry> ParseListing(JsonElement root)
    {
        var entries = new List<SwiftListingEntry>(root.GetArrayLength());
        foreach (var item in root.EnumerateArray())
        {
            if (item.TryGetProperty("subdir", out var subdir))
            {
                entries.Add(new SwiftListingEntry(subdir.GetString() ?? "", 0, DateTimeOffset.MinValue, false, true));
                continue;
            }

            var modified = item.TryGetProperty("last_modified", out var lm)
                && DateTimeOffset.TryParse(lm.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed)
                    ? parsed
                    : DateTimeOffset.MinValue;
            entries.Add(new SwiftListingEntry(
                item.GetProperty("name").GetString() ?? "",
                item.TryGetProperty("bytes", out var bytes) ? bytes.GetInt64() : 0,
                modified,
                item.TryGetProperty("slo_etag", out _),
                false));
        }

        return entries;
    }
}
