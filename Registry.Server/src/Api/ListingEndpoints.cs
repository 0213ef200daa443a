using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Registry.Server.Api;

/// <summary><c>/v2/&lt;name&gt;/tags/list</c> and <c>/v2/_catalog</c>, both paginated with <c>n</c>, <c>last</c> and <c>Link</c>.</summary>
internal static class ListingEndpoints
{
    /// <summary>The page size when the client gives none (distribution's catalog default).</summary>
    public const int DefaultPageSize = 100;

    /// <summary>The largest page served (distribution's catalog maximum).</summary>
    public const int MaxPageSize = 1000;

    public static async Task TagsAsync(RegistryServices services, HttpContext context, string name)
    {
        var tags = await services.Tags.ListAsync(name, context.RequestAborted)
            ?? throw new RegistryException(ErrorCode.NameUnknown, $"repository {name} is not known");
        var (n, last) = Page(context.Request, int.MaxValue);
        var after = last is null ? tags : tags.Where(t => string.CompareOrdinal(t, last) > 0).ToList();
        var page = n is { } size ? after.Take(size).ToList() : after;
        if (n is { } pageSize && after.Count > pageSize && page.Count > 0)
        {
            SetLink(services, context, $"/v2/{name}/tags/list", pageSize, page[^1]);
        }

        await WriteJsonAsync(context, new { name, tags = page });
    }

    public static async Task CatalogAsync(RegistryServices services, HttpContext context)
    {
        var (n, last) = Page(context.Request, MaxPageSize);
        var size = n ?? DefaultPageSize;
        var found = size == 0 ? [] : await services.Catalog.ListAsync(last, size, context.RequestAborted);
        var page = found.Take(size).ToList();
        if (found.Count > size)
        {
            SetLink(services, context, "/v2/_catalog", size, page[^1]);
        }

        await WriteJsonAsync(context, new { repositories = page });
    }

    private static (int? N, string? Last) Page(HttpRequest request, int max)
    {
        int? n = null;
        if (request.Query.TryGetValue("n", out var nValue))
        {
            if (!int.TryParse(nValue, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) || parsed > max)
            {
                throw new RegistryException(ErrorCode.PaginationNumberInvalid, $"n must be an integer from 0 to {max}");
            }

            n = parsed;
        }

        var last = request.Query.TryGetValue("last", out var lastValue) && lastValue.ToString().Length > 0 ? lastValue.ToString() : null;
        return (n, last);
    }

    private static void SetLink(RegistryServices services, HttpContext context, string path, int n, string last)
    {
        var url = Urls.For(context, services.Options, path) + "?n=" + n.ToString(CultureInfo.InvariantCulture) + "&last=" + Uri.EscapeDataString(last);
        context.Response.Headers.Link = $"<{url}>; rel=\"next\"";
    }

    internal static async Task WriteJsonAsync(HttpContext context, object body, string contentType = "application/json")
    {
        var bytes = Json.Serialize(body);
        context.Response.ContentType = contentType;
        context.Response.ContentLength = bytes.Length;
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await context.Response.Body.WriteAsync(bytes, context.RequestAborted);
        }
    }
}
