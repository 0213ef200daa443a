using System.Globalization;
using System.Security.Cryptography;
using System.Xml.Linq;
using Microsoft.AspNetCore.Http;

namespace Registry.Storage.Oss.StandIn;

/// <summary>
/// InitiateMultipartUpload, UploadPart, UploadPartCopy, CompleteMultipartUpload (100 KB
/// minimum for every part but the last, checked only at completion as OSS does),
/// AbortMultipartUpload and ListParts.
/// </summary>
internal sealed partial class StandInHandlers
{
    private const int MaxPartNumber = 10000;

    private Task InitiateAsync(HttpContext context, string key)
    {
        var upload = store.CreateUpload(key, ContentTypeOf(context.Request));
        return WriteXmlAsync(context, new XmlBody().Open("InitiateMultipartUploadResult")
            .Element("Bucket", options.Bucket).Element("Key", key).Element("UploadId", upload.Id));
    }

    private async Task UploadPartAsync(HttpContext context, string key, Query query)
    {
        var (upload, number) = PartTarget(key, query);
        var (path, size, md5) = await store.ReceiveAsync(context.Request.Body, context.RequestAborted).ConfigureAwait(false);
        CheckContentMd5(context.Request, md5, path);
        var part = new StoredPart(number, size, ETagOf(md5), md5, store.Now, path);
        store.PutPart(upload, part);
        context.Response.Headers.ETag = part.ETag;
    }

    private async Task UploadPartCopyAsync(HttpContext context, string key, Query query, string copySource)
    {
        var (upload, number) = PartTarget(key, query);
        var source = ResolveCopySource(copySource);
        var (start, length) = (0L, source.Size);
        var range = context.Request.Headers["x-oss-copy-source-range"].ToString();
        if (range.Length > 0)
        {
            var spec = range.StartsWith("bytes=", StringComparison.Ordinal) ? range[6..].Split('-') : [];
            if (spec.Length != 2 || !long.TryParse(spec[0], NumberStyles.None, CultureInfo.InvariantCulture, out start)
                || !long.TryParse(spec[1], NumberStyles.None, CultureInfo.InvariantCulture, out var end) || end < start || end >= source.Size)
            {
                throw new OssError(416, "InvalidRange", $"The copy range {range} is invalid for a source of {source.Size} bytes.");
            }

            length = end - start + 1;
        }

        var (path, size, md5) = await store.CopyRangeAsync(source.DataPath, start, length, context.RequestAborted).ConfigureAwait(false);
        var part = new StoredPart(number, size, ETagOf(md5), md5, store.Now, path);
        store.PutPart(upload, part);
        await WriteXmlAsync(context, new XmlBody().Open("CopyPartResult").Element("LastModified", part.LastModified).Element("ETag", part.ETag)).ConfigureAwait(false);
    }

    private (Upload Upload, int Number) PartTarget(string key, Query query)
    {
        var number = query.GetInt("partNumber", 0, 1, MaxPartNumber);
        return (store.GetUpload(key, query.Get("uploadId") ?? ""), number);
    }

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA5351", Justification = "The multipart ETag is defined over the parts' MD5s.")]
    private async Task CompleteAsync(HttpContext context, string key, Query query)
    {
        var upload = store.GetUpload(key, query.Get("uploadId") ?? "");
        var requested = await ReadCompleteListAsync(context).ConfigureAwait(false);
        var stored = store.PartsOf(upload).ToDictionary(p => p.Number);
        var chosen = new List<StoredPart>();
        foreach (var (number, partETag) in requested)
        {
            if (chosen.Count > 0 && number <= chosen[^1].Number)
            {
                throw new OssError(400, "InvalidPartOrder", "The list of parts was not in ascending order. Parts must be ordered by part number.");
            }

            if (!stored.TryGetValue(number, out var part) || !string.Equals(part.ETag.Trim('"'), partETag.Trim('"'), StringComparison.OrdinalIgnoreCase))
            {
                throw new OssError(400, "InvalidPart", $"Part {number} was not uploaded or its ETag does not match.", new Dictionary<string, string> { ["PartNumber"] = number.ToString(CultureInfo.InvariantCulture) });
            }

            chosen.Add(part);
        }

        for (var i = 0; i < chosen.Count - 1; i++)
        {
            if (chosen[i].Size < options.MinPartSize)
            {
                throw new OssError(400, "EntityTooSmall", $"Your proposed upload is smaller than the minimum allowed size: part {chosen[i].Number} has {chosen[i].Size} bytes; every part but the last needs {options.MinPartSize}.",
                    new Dictionary<string, string> { ["PartNumber"] = chosen[i].Number.ToString(CultureInfo.InvariantCulture), ["MinSizeAllowed"] = options.MinPartSize.ToString(CultureInfo.InvariantCulture) });
            }
        }

        var path = store.NewDataPath();
        long size = 0;
        var output = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
        await using (output.ConfigureAwait(false))
        {
            foreach (var part in chosen)
            {
                var input = BlobStore.OpenRead(part.DataPath);
                await using (input.ConfigureAwait(false))
                {
                    await input.CopyToAsync(output, 1 << 16, context.RequestAborted).ConfigureAwait(false);
                }

                size += part.Size;
            }
        }

        var etag = $"\"{Convert.ToHexString(MD5.HashData(chosen.SelectMany(p => p.Md5).ToArray()))}-{chosen.Count}\"";
        store.RemoveUpload(upload);
        store.Install(new StoredObject(key, size, etag, store.Now, upload.ContentType, path, IsMultipart: true));
        await WriteXmlAsync(context, new XmlBody().Open("CompleteMultipartUploadResult")
            .Element("Location", $"http://{options.Bucket}.{options.EndpointHost}/{key}")
            .Element("Bucket", options.Bucket).Element("Key", key).Element("ETag", etag)).ConfigureAwait(false);
    }

    private static async Task<List<(int Number, string ETag)>> ReadCompleteListAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await new BoundedStream(context.Request.Body, 4 << 20).CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
        try
        {
            buffer.Position = 0;
            var document = XDocument.Load(buffer);
            var parts = document.Root?.Elements("Part")
                .Select(p => (int.Parse(p.Element("PartNumber")?.Value ?? "", CultureInfo.InvariantCulture), p.Element("ETag")?.Value ?? ""))
                .ToList() ?? [];
            return parts.Count == 0 ? throw OssError.MalformedXml("CompleteMultipartUpload names no parts.") : parts;
        }
        catch (Exception ex) when (ex is System.Xml.XmlException or FormatException)
        {
            throw OssError.MalformedXml("The XML you provided was not well-formed or did not validate: " + ex.Message);
        }
    }

    private Task AbortAsync(HttpContext context, string key, Query query)
    {
        store.RemoveUpload(store.GetUpload(key, query.Get("uploadId") ?? ""));
        context.Response.StatusCode = StatusCodes.Status204NoContent;
        return Task.CompletedTask;
    }

    private Task ListPartsAsync(HttpContext context, string key, Query query)
    {
        var upload = store.GetUpload(key, query.Get("uploadId") ?? "");
        var marker = query.GetInt("part-number-marker", 0, 0, MaxPartNumber);
        var maxParts = query.GetInt("max-parts", 1000, 1, 1000);
        var parts = store.PartsOf(upload).Where(p => p.Number > marker).Take(maxParts + 1).ToList();
        var truncated = parts.Count > maxParts;
        if (truncated)
        {
            parts.RemoveAt(parts.Count - 1);
        }

        var body = new XmlBody().Open("ListPartsResult")
            .Element("Bucket", options.Bucket).Element("Key", key).Element("UploadId", upload.Id)
            .Element("PartNumberMarker", marker).Element("NextPartNumberMarker", parts.Count > 0 ? parts[^1].Number : marker)
            .Element("MaxParts", maxParts).Element("IsTruncated", truncated);
        foreach (var part in parts)
        {
            body.Open("Part").Element("PartNumber", part.Number).Element("LastModified", part.LastModified).Element("ETag", part.ETag).Element("Size", part.Size).Close();
        }

        return WriteXmlAsync(context, body);
    }
}
