using System.Text.RegularExpressions;

namespace Registry.Server.Api;

/// <summary>Which API endpoint a request path names.</summary>
internal enum RouteKind
{
    Base,
    Catalog,
    Tags,
    Manifest,
    Blob,
    Upload,
    Referrers,
}

/// <summary>
/// A request path split into the endpoint and its raw (not yet validated) parts. Repository
/// names contain slashes, so the endpoint is found from the end of the path, as distribution's router does.
/// </summary>
internal sealed partial record RouteMatch(RouteKind Kind, string Name = "", string Reference = "")
{
    /// <summary>Matches a path below the prefix (<c>/v2/…</c>); null when it is no API path.</summary>
    public static RouteMatch? Parse(string path)
    {
        if (path is "/v2" or "/v2/")
        {
            return new RouteMatch(RouteKind.Base);
        }

        if (path is "/v2/_catalog")
        {
            return new RouteMatch(RouteKind.Catalog);
        }

        var m = Pattern().Match(path);
        if (!m.Success)
        {
            return null;
        }

        var name = m.Groups["name"].Value;
        if (m.Groups["tags"].Success)
        {
            return new RouteMatch(RouteKind.Tags, name);
        }

        if (m.Groups["manifest"].Success)
        {
            return new RouteMatch(RouteKind.Manifest, name, m.Groups["manifest"].Value);
        }

        if (m.Groups["upload"].Success)
        {
            return new RouteMatch(RouteKind.Upload, name, m.Groups["upload"].Value);
        }

        if (m.Groups["blob"].Success)
        {
            return new RouteMatch(RouteKind.Blob, name, m.Groups["blob"].Value);
        }

        return new RouteMatch(RouteKind.Referrers, name, m.Groups["referrers"].Value);
    }

    [GeneratedRegex(
        @"^/v2/(?<name>.+?)/(?:(?<tags>tags/list)|manifests/(?<manifest>[^/]+)|blobs/uploads/?(?<upload>[^/]*)|blobs/(?<blob>[^/]+)|referrers/(?<referrers>[^/]+))$",
        RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Pattern();
}
