using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Registry.Storage.Oss.StandIn;

/// <summary>PutObject, GetObject (with Range), HeadObject, DeleteObject, CopyObject.</summary>
internal sealed partial class StandInHandlers
{
    private async Task PutObjectAsync(HttpContext context, string key)
    {
        var (path, size, md5) = await store.ReceiveAsync(context.Request.Body, context.RequestAborted).ConfigureAwait(false);
        CheckContentMd5(context.Request, md5, path);
        var stored = new StoredObject(key, size, ETagOf(md5), store.Now, ContentTypeOf(context.Request), path, IsMultipart: false);
        store.Install(stored);
        context.Response.Headers.ETag = stored.ETag;
    }

    private async Task GetObjectAsync(HttpContext context, string key, bool head)
    {
        var stored = store.Get(key) ?? throw OssError.NoSuchKey(key);
        // OSS's conditional GET: If-Match names the ETag the client expects (a reader resuming a
        // broken body pins the version it started with).
        if (context.Request.Headers.IfMatch.ToString() is { Length: > 0 } ifMatch && !string.Equals(ifMatch.Trim(), stored.ETag, StringComparison.Ordinal))
        {
            throw new OssError(412, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold.", new Dictionary<string, string> { ["Condition"] = "If-Match" });
        }

        // Open before answering: the file of this version stays readable even if a PUT replaces it meanwhile.
        var file = BlobStore.OpenRead(stored.DataPath);
        await using (file.ConfigureAwait(false))
        {
            var response = context.Response;
            response.Headers.ETag = stored.ETag;
            response.Headers.LastModified = stored.LastModified.ToString("r", CultureInfo.InvariantCulture);
            response.Headers.AcceptRanges = "bytes";
            response.Headers["x-oss-object-type"] = stored.IsMultipart ? "Multipart" : "Normal";
            response.ContentType = stored.ContentType;

            var (start, length) = ParseRange(context.Request, stored.Size);
            if (length != stored.Size || start != 0)
            {
                response.StatusCode = StatusCodes.Status206PartialContent;
                response.Headers.ContentRange = $"bytes {start}-{start + length - 1}/{stored.Size}";
            }

            response.ContentLength = length;
            if (head || length == 0)
            {
                return;
            }

            file.Position = start;
            await new BoundedStream(file, length).CopyToAsync(response.Body, 1 << 16, context.RequestAborted).ConfigureAwait(false);
        }
    }

    // OSS answers an unsatisfiable range with the whole object (200) unless the client asks for
    // standard behaviour with x-oss-range-behavior: standard, which gives 416 InvalidRange.
    private static (long Start, long Length) ParseRange(HttpRequest request, long size)
    {
        var header = request.Headers.Range.ToString();
        if (header.Length == 0)
        {
            return (0, size);
        }

        var standard = request.Headers["x-oss-range-behavior"].ToString() == "standard";
        var spec = header.StartsWith("bytes=", StringComparison.Ordinal) ? header[6..] : "";
        var dash = spec.IndexOf('-', StringComparison.Ordinal);
        if (dash <= 0 || spec.Contains(',', StringComparison.Ordinal)
            || !long.TryParse(spec[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out var start))
        {
            return (0, size); // suffix ranges and multiple ranges: not used by the driver; OSS ignores malformed ranges
        }

        var end = size - 1;
        if (dash < spec.Length - 1 && (!long.TryParse(spec[(dash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out end) || end < start))
        {
            return (0, size);
        }

        if (start >= size)
        {
            return standard
                ? throw new OssError(416, "InvalidRange", "The requested range cannot be satisfied.", new Dictionary<string, string> { ["ActualObjectSize"] = size.ToString(CultureInfo.InvariantCulture) })
                : (0, size);
        }

        return (start, Math.Min(end, size - 1) - start + 1);
    }

    private Task DeleteObjectAsync(HttpContext context, string key)
    {
        store.Delete(key);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
        return Task.CompletedTask;
    }

    private async Task CopyObjectAsync(HttpContext context, string key, string copySource)
    {
        var source = ResolveCopySource(copySource);
        if (source.Size > options.CopyObjectLimit)
        {
            throw new OssError(400, "InvalidArgument", "The source object of CopyObject must be smaller than 1 GB; copy larger objects with UploadPartCopy.");
        }

        var (path, size, md5) = await store.CopyRangeAsync(source.DataPath, 0, source.Size, context.RequestAborted).ConfigureAwait(false);
        var stored = new StoredObject(key, size, ETagOf(md5), store.Now, source.ContentType, path, IsMultipart: false);
        store.Install(stored);
        await WriteXmlAsync(context, new XmlBody().Open("CopyObjectResult").Element("ETag", stored.ETag).Element("LastModified", stored.LastModified)).ConfigureAwait(false);
    }

    // x-oss-copy-source: /<bucket>/<url-encoded key>, same bucket only in this stand-in.
    private StoredObject ResolveCopySource(string copySource)
    {
        var decoded = Uri.UnescapeDataString(copySource);
        var prefix = "/" + options.Bucket + "/";
        if (!decoded.StartsWith(prefix, StringComparison.Ordinal))
        {
            throw OssError.InvalidArgument("x-oss-copy-source must name an object of this bucket: /<bucket>/<key>.");
        }

        var key = decoded[prefix.Length..];
        return store.Get(key) ?? throw OssError.NoSuchKey(key);
    }

    private static void CheckContentMd5(HttpRequest request, byte[] md5, string receivedPath)
    {
        var header = request.Headers["content-md5"].ToString();
        if (header.Length > 0 && header != Convert.ToBase64String(md5))
        {
            BlobStore.DeleteFile(receivedPath);
            throw new OssError(400, "InvalidDigest", "The Content-MD5 you specified is not valid.");
        }
    }

    private static string ContentTypeOf(HttpRequest request) =>
        request.ContentType is { Length: > 0 } type ? type : "application/octet-stream";
}
