using System.Globalization;
using Microsoft.AspNetCore.Http;
using Registry.Server.Layout;
using Registry.Server.Uploads;

namespace Registry.Server.Api;

/// <summary><c>/v2/&lt;name&gt;/blobs/uploads/[&lt;id&gt;]</c>: start (monolithic, mount), chunk, status, complete, cancel.</summary>
internal static class UploadEndpoints
{
    /// <summary>POST: mount (<c>mount</c>[+<c>from</c>]), monolithic (<c>digest</c>) or start a session.</summary>
    public static async Task StartAsync(RegistryServices services, HttpContext context, string name)
    {
        var ct = context.RequestAborted;
        var query = context.Request.Query;
        if (query.TryGetValue("mount", out var mountValue))
        {
            var digest = ParseDigest(mountValue);
            string? from = query.TryGetValue("from", out var fromValue) ? fromValue.ToString() : null;
            if (from is not null && !ReferenceGrammar.IsValidName(from))
            {
                throw new RegistryException(ErrorCode.NameInvalid, $"'from' repository '{from}' is not a valid name");
            }

            var mountable = from is null
                ? await services.Blobs.StatGlobalAsync(digest, ct) is not null
                : await services.Blobs.StatAsync(from, digest, ct) is not null;
            if (mountable)
            {
                await services.Blobs.LinkAsync(name, digest, ct);
                Created(services, context, name, digest);
                return;
            }
        }
        else if (query.TryGetValue("digest", out var digestValue))
        {
            var digest = ParseDigest(digestValue);
            var monolithicId = await services.Uploads.StartAsync(name, ct);
            await services.Uploads.CompleteAsync(name, monolithicId, digest, context.Request.Body, ct);
            Created(services, context, name, digest);
            return;
        }

        var id = await services.Uploads.StartAsync(name, ct);
        Accepted(services, context, name, id, 0, StatusCodes.Status202Accepted);
    }

    /// <summary>PATCH: append a chunk (streamed or with <c>Content-Range</c>).</summary>
    public static async Task PatchAsync(RegistryServices services, HttpContext context, string name, string id)
    {
        var request = context.Request;
        long? start = null;
        long? length = request.ContentLength;
        if (request.Headers.ContentRange is { Count: > 0 } contentRange)
        {
            var (from, to) = ParseContentRange(contentRange.ToString());
            start = from;
            if (length is { } l && l != to - from + 1)
            {
                throw UploadService.OutOfOrder(
                    await services.Uploads.SizeAsync(name, id, context.RequestAborted),
                    $"Content-Range {from}-{to} does not match Content-Length {l}");
            }

            length = to - from + 1;
        }

        var size = await services.Uploads.AppendAsync(name, id, request.Body, start, length, context.RequestAborted);
        Accepted(services, context, name, id, size, StatusCodes.Status202Accepted);
    }

    /// <summary>PUT: the last (possibly empty) chunk and the digest that completes the upload.</summary>
    public static async Task CompleteAsync(RegistryServices services, HttpContext context, string name, string id)
    {
        if (!context.Request.Query.TryGetValue("digest", out var digestValue))
        {
            throw new RegistryException(ErrorCode.DigestInvalid, "the digest query parameter is required to complete an upload");
        }

        var digest = ParseDigest(digestValue);
        await services.Uploads.CompleteAsync(name, id, digest, context.Request.Body, context.RequestAborted);
        Created(services, context, name, digest);
    }

    /// <summary>GET: how much of the upload was received.</summary>
    public static async Task StatusAsync(RegistryServices services, HttpContext context, string name, string id)
    {
        var size = await services.Uploads.SizeAsync(name, id, context.RequestAborted);
        Accepted(services, context, name, id, size, StatusCodes.Status204NoContent);
    }

    /// <summary>DELETE: cancel the upload.</summary>
    public static async Task CancelAsync(RegistryServices services, HttpContext context, string name, string id)
    {
        await services.Uploads.CancelAsync(name, id, context.RequestAborted);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private static void Accepted(RegistryServices services, HttpContext context, string name, string id, long size, int status)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.Headers.Location = Urls.For(context, services.Options, $"/v2/{name}/blobs/uploads/{id}");
        response.Headers.Range = UploadService.RangeHeader(size);
        response.Headers["Docker-Upload-UUID"] = id;
        response.ContentLength = 0;
    }

    private static void Created(RegistryServices services, HttpContext context, string name, Digest digest)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status201Created;
        response.Headers.Location = Urls.For(context, services.Options, $"/v2/{name}/blobs/{digest}");
        response.Headers["Docker-Content-Digest"] = digest.ToString();
        response.ContentLength = 0;
    }

    private static Digest ParseDigest(string? value) =>
        Digest.TryParse(value, out var digest, out var error) ? digest : throw new RegistryException(ErrorCode.DigestInvalid, error);

    private static (long From, long To) ParseContentRange(string value)
    {
        var text = value.Trim();
        if (text.StartsWith("bytes", StringComparison.OrdinalIgnoreCase))
        {
            text = text[5..].TrimStart(' ', '=');
        }

        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            text = text[..slash];
        }

        var dash = text.IndexOf('-', StringComparison.Ordinal);
        if (dash > 0
            && long.TryParse(text[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out var from)
            && long.TryParse(text[(dash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var to)
            && to >= from)
        {
            return (from, to);
        }

        throw new RegistryException(ErrorCode.BlobUploadInvalid, $"Content-Range '{value}' is not <start>-<end>", 416);
    }
}
