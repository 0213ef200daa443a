using System.Text.Json;

namespace Registry.Storage.Drivers.Swift;

/// <summary>
/// What the cluster's <c>/info</c> (capabilities) advertises that the driver adapts to: bulk
/// delete and its batch size, TempURL methods and digests, SLO limits and the Swift version.
/// </summary>
internal sealed record SwiftInfo
{
    /// <summary>Swift's SLO default when the cluster does not say.</summary>
    public const int DefaultMaxManifestSegments = 1000;

    /// <summary>The Swift version (for example <c>2.30.1</c>), or null when unknown.</summary>
    public Version? SwiftVersion { get; init; }

    /// <summary>Names one bulk-delete request may carry; 0 without the bulk middleware.</summary>
    public int BulkDeleteMax { get; init; }

    /// <summary>The methods TempURLs can be signed for; empty without the tempurl middleware.</summary>
    public IReadOnlyList<string> TempUrlMethods { get; init; } = [];

    /// <summary>The HMAC digests TempURL accepts (<c>sha1</c>, <c>sha256</c>, <c>sha512</c>); older clusters only take sha1.</summary>
    public IReadOnlyList<string> TempUrlDigests { get; init; } = [];

    /// <summary>Whether the slo middleware runs.</summary>
    public bool StaticLargeObjects { get; init; }

    /// <summary>The most segments one SLO manifest may list.</summary>
    public int MaxManifestSegments { get; init; } = DefaultMaxManifestSegments;

    /// <summary>Whether containers can hold their own TempURL key (Swift 2.3.0 and later; distribution compared version strings).</summary>
    public bool SupportsContainerTempUrlKey => SwiftVersion is { } v && v >= new Version(2, 3, 0);

    /// <summary>Reads the <c>/info</c> document.</summary>
    public static SwiftInfo Parse(JsonElement root)
    {
        var info = new SwiftInfo();
        if (root.TryGetProperty("swift", out var swift) && swift.TryGetProperty("version", out var version)
            && Version.TryParse(new string((version.GetString() ?? "").TakeWhile(c => char.IsAsciiDigit(c) || c == '.').ToArray()).TrimEnd('.'), out var parsed))
        {
            info = info with { SwiftVersion = parsed };
        }

        if (root.TryGetProperty("bulk_delete", out var bulk))
        {
            info = info with
            {
                BulkDeleteMax = bulk.TryGetProperty("max_deletes_per_request", out var max) && max.TryGetInt32(out var n) ? n : 10_000,
            };
        }

        if (root.TryGetProperty("tempurl", out var tempurl))
        {
            info = info with
            {
                TempUrlMethods = Strings(tempurl, "methods"),
                TempUrlDigests = tempurl.TryGetProperty("allowed_digests", out _) ? Strings(tempurl, "allowed_digests") : ["sha1"],
            };
        }

        if (root.TryGetProperty("slo", out var slo))
        {
            info = info with
            {
                StaticLargeObjects = true,
                MaxManifestSegments = slo.TryGetProperty("max_manifest_segments", out var segments) && segments.TryGetInt32(out var m) ? m : DefaultMaxManifestSegments,
            };
        }

        return info;
    }

    /// <summary>The <c>/info</c> URL of a storage URL: <c>http://h/v1/AUTH_x</c> → <c>http://h/info</c>, as distribution's client derives it.</summary>
    public static Uri InfoUrl(Uri storageUrl)
    {
        var segments = storageUrl.AbsolutePath.TrimEnd('/').Split('/');
        var basePath = string.Join('/', segments.Take(Math.Max(1, segments.Length - 2)));
        return new Uri(storageUrl, basePath + "/info");
    }

    private static string[] Strings(JsonElement element, string name) =>
        element.TryGetProperty(name, out var array) && array.ValueKind == JsonValueKind.Array
            ? array.EnumerateArray().Select(e => e.GetString() ?? "").Where(s => s.Length > 0).ToArray()
            : [];
}
