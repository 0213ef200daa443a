using System.Globalization;
using Microsoft.AspNetCore.Http;
using Registry.Server.Layout;
using Registry.Server.Uploads;

namespace Registry.Server.Api;

/// <summary><c>/v2/&lt;name&gt;/blobs/&lt;digest&gt;</c>: GET (ranges, redirects), HEAD, DELETE.</summary>
internal static class BlobEndpoints
{
    public static async Task GetAsync(RegistryServices services, HttpContext context, string name, Digest digest)
    {
        var ct = context.RequestAborted;
        var size = await services.Blobs.StatAsync(name, digest, ct)
            ?? throw new RegistryException(ErrorCode.BlobUnknown, $"{digest} is not in {name}");
        var response = context.Response;
        response.Headers["Docker-Content-Digest"] = digest.ToString();
        response.Headers.ETag = "\"" + digest + "\"";
        response.Headers.AcceptRanges = "bytes";
        response.Headers.CacheControl = "max-age=31536000";
        var isHead = HttpMethods.IsHead(context.Request.Method);

        if (!isHead && !services.Options.RedirectDisabled && await services.Blobs.RedirectUrlAsync(digest, ct) is { } redirect)
        {
            response.StatusCode = StatusCodes.Status307TemporaryRedirect;
            response.Headers.Location = redirect.AbsoluteUri;
            return;
        }

        if (!ByteRange.TryParse(context.Request.Headers.Range, size, out var range))
        {
            var error = new RegistryException(ErrorCode.RangeInvalid, $"the range is outside the blob's {size} bytes");
            error.Headers["Content-Range"] = "bytes */" + size.ToString(CultureInfo.InvariantCulture);
            throw error;
        }

        response.ContentType = "application/octet-stream";
        var (offset, length) = range is { } r ? (r.Start, r.Length) : (0L, size);
        if (range is { } partial)
        {
            response.StatusCode = StatusCodes.Status206PartialContent;
            response.Headers.ContentRange = partial.ContentRange(size);
        }

        response.ContentLength = length;
        if (isHead || length == 0)
        {
            return;
        }

        var stream = await services.Blobs.OpenAsync(digest, offset, ct);
        await using (stream)
        {
            await StreamCopy.CopyAsync(stream, response.Body, null, length, ct);
        }
    }

    public static async Task DeleteAsync(RegistryServices services, HttpContext context, string name, Digest digest)
    {
        RequireDelete(services);
        if (!await services.Blobs.UnlinkAsync(name, digest, context.RequestAborted))
        {
            throw new RegistryException(ErrorCode.BlobUnknown, $"{digest} is not in {name}");
        }

        context.Response.StatusCode = StatusCodes.Status202Accepted;
        context.Response.Headers["Docker-Content-Digest"] = digest.ToString();
        context.Response.ContentLength = 0;
    }

    public static void RequireDelete(RegistryServices services)
    {
        if (!services.Options.DeleteEnabled)
        {
            throw new RegistryException(ErrorCode.Unsupported, "deletion is disabled (storage.delete.enabled is false)");
        }
    }
}
