using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.Http;

namespace Registry.Storage.Oss.StandIn;

/// <summary>ListObjectsV2 (prefix, delimiter, start-after, continuation token), DeleteMultipleObjects, ListMultipartUploads.</summary>
internal sealed partial class StandInHandlers
{
    private const int MaxDeleteKeys = 1000;

    private Task ListObjectsV2Async(HttpContext context, Query query)
    {
        var prefix = query.Get("prefix") ?? "";
        var delimiter = query.Get("delimiter") ?? "";
        var maxKeys = query.GetInt("max-keys", 100, 0, 1000);
        var startAfter = query.Get("start-after");
        var token = query.Get("continuation-token");
        var urlEncode = query.Get("encoding-type") == "url";
        var after = token is null ? startAfter : DecodeToken(token);
        if (startAfter is not null && after is not null && string.CompareOrdinal(startAfter, after) > 0)
        {
            after = startAfter;
        }

        var contents = new List<StoredObject>();
        var prefixes = new List<string>();
        // A page that ended on a common prefix resumes after everything below it.
        var lastPrefix = delimiter.Length > 0 && after is not null && after.EndsWith(delimiter, StringComparison.Ordinal) ? after : null;
        string? lastEmitted = null;
        var truncated = false;
        // One pass in key order: a key either joins the previous common prefix, starts a new
        // one, or is listed itself; the page ends when max-keys entries are taken.
        store.Scan(after, prefix, stored =>
        {
            var cut = delimiter.Length == 0 ? -1 : stored.Key.IndexOf(delimiter, prefix.Length, StringComparison.Ordinal);
            var commonPrefix = cut < 0 ? null : stored.Key[..(cut + delimiter.Length)];
            if (commonPrefix is not null && commonPrefix == lastPrefix)
            {
                return true;
            }

            if (contents.Count + prefixes.Count >= maxKeys)
            {
                truncated = true;
                return false;
            }

            if (commonPrefix is not null)
            {
                prefixes.Add(commonPrefix);
                lastPrefix = commonPrefix;
                lastEmitted = commonPrefix;
                return true;
            }

            contents.Add(stored);
            lastEmitted = stored.Key;
            return true;
        });

        string Encode(string value) => urlEncode ? Uri.EscapeDataString(value) : value;
        var body = new XmlBody().Open("ListBucketResult")
            .Element("Name", options.Bucket)
            .Element("Prefix", Encode(prefix))
            .Element("MaxKeys", maxKeys)
            .Element("Delimiter", Encode(delimiter));
        if (startAfter is not null)
        {
            body.Element("StartAfter", Encode(startAfter));
        }

        if (token is not null)
        {
            body.Element("ContinuationToken", token);
        }

        if (urlEncode)
        {
            body.Element("EncodingType", "url");
        }

        body.Element("IsTruncated", truncated);
        if (truncated && lastEmitted is not null)
        {
            body.Element("NextContinuationToken", EncodeToken(lastEmitted));
        }

        body.Element("KeyCount", contents.Count + prefixes.Count);
        foreach (var stored in contents)
        {
            body.Open("Contents").Element("Key", Encode(stored.Key)).Element("LastModified", stored.LastModified).Element("ETag", stored.ETag)
                .Element("Type", stored.IsMultipart ? "Multipart" : "Normal").Element("Size", stored.Size).Element("StorageClass", "Standard").Close();
        }

        foreach (var commonPrefix in prefixes)
        {
            body.Open("CommonPrefixes").Element("Prefix", Encode(commonPrefix)).Close();
        }

        return WriteXmlAsync(context, body);
    }

    private static string EncodeToken(string key) => Convert.ToBase64String(Encoding.UTF8.GetBytes(key)).Replace('+', '-').Replace('/', '_');

    private static string DecodeToken(string token)
    {
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(token.Replace('-', '+').Replace('_', '/')));
        }
        catch (FormatException)
        {
            throw OssError.InvalidArgument("The continuation token provided is incorrect.");
        }
    }

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA5351", Justification = "Content-MD5 is OSS's integrity check, not security.")]
    private async Task DeleteMultipleAsync(HttpContext context)
    {
        var declaredMd5 = context.Request.Headers["content-md5"].ToString();
        if (declaredMd5.Length == 0)
        {
            throw new OssError(400, "MissingArgument", "DeleteMultipleObjects requires the Content-MD5 header.", new Dictionary<string, string> { ["ArgumentName"] = "Content-MD5" });
        }

        using var buffer = new MemoryStream();
        await new BoundedStream(context.Request.Body, 2 << 20).CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
        if (Convert.ToBase64String(MD5.HashData(buffer.ToArray())) != declaredMd5)
        {
            throw new OssError(400, "InvalidDigest", "The Content-MD5 you specified is not valid.");
        }

        XDocument document;
        try
        {
            buffer.Position = 0;
            document = XDocument.Load(buffer);
        }
        catch (System.Xml.XmlException ex)
        {
            throw OssError.MalformedXml("The XML you provided was not well-formed: " + ex.Message);
        }

        var keys = document.Root?.Elements("Object").Select(o => o.Element("Key")?.Value ?? "").ToList() ?? [];
        if (keys.Count is 0 or > MaxDeleteKeys || keys.Exists(k => k.Length == 0))
        {
            throw OssError.MalformedXml($"A Delete request names from 1 to {MaxDeleteKeys} objects, each with a Key.");
        }

        var quiet = string.Equals(document.Root?.Element("Quiet")?.Value, "true", StringComparison.OrdinalIgnoreCase);
        var body = new XmlBody().Open("DeleteResult");
        foreach (var key in keys)
        {
            store.Delete(key); // deleting a missing key is a success, as in OSS
            if (!quiet)
            {
                body.Open("Deleted").Element("Key", key).Close();
            }
        }

        await WriteXmlAsync(context, body).ConfigureAwait(false);
    }

    private Task ListUploadsAsync(HttpContext context, Query query)
    {
        var prefix = query.Get("prefix") ?? "";
        var keyMarker = query.Get("key-marker") ?? "";
        var uploadIdMarker = query.Get("upload-id-marker") ?? "";
        var maxUploads = query.GetInt("max-uploads", 1000, 1, 1000);
        var selected = store.Uploads()
            .Where(u => u.Key.StartsWith(prefix, StringComparison.Ordinal))
            .Where(u => string.CompareOrdinal(u.Key, keyMarker) > 0
                        || (uploadIdMarker.Length > 0 && u.Key == keyMarker && string.CompareOrdinal(u.Id, uploadIdMarker) > 0))
            .Take(maxUploads + 1)
            .ToList();
        var truncated = selected.Count > maxUploads;
        if (truncated)
        {
            selected.RemoveAt(selected.Count - 1);
        }

        var body = new XmlBody().Open("ListMultipartUploadsResult")
            .Element("Bucket", options.Bucket).Element("KeyMarker", keyMarker).Element("UploadIdMarker", uploadIdMarker)
            .Element("NextKeyMarker", truncated ? selected[^1].Key : "").Element("NextUploadIdMarker", truncated ? selected[^1].Id : "")
            .Element("Delimiter", "").Element("Prefix", prefix).Element("MaxUploads", maxUploads).Element("IsTruncated", truncated);
        foreach (var upload in selected)
        {
            body.Open("Upload").Element("Key", upload.Key).Element("UploadId", upload.Id).Element("StorageClass", "Standard").Element("Initiated", upload.Initiated).Close();
        }

        return WriteXmlAsync(context, body);
    }
}
