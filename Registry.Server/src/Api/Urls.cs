using Microsoft.AspNetCore.Http;

namespace Registry.Server.Api;

/// <summary>Builds the URLs the API hands back (<c>Location</c>, <c>Link</c>): absolute from <c>http.host</c> or the request, or relative with <c>http.relativeurls</c>.</summary>
internal static class Urls
{
    public static string For(HttpContext context, RegistryServerOptions options, string apiPath)
    {
        var prefix = options.Http.Prefix == "/" ? string.Empty : options.Http.Prefix;
        if (options.Http.RelativeUrls)
        {
            return prefix + apiPath;
        }

        if (options.Http.Host is { } host)
        {
            return host.GetLeftPart(UriPartial.Authority) + host.AbsolutePath.TrimEnd('/') + prefix + apiPath;
        }

        var request = context.Request;
        return $"{request.Scheme}://{request.Host}{prefix}{apiPath}";
    }
}
