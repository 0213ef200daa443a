using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Registry.Storage.Drivers.Oss.Signing;
using Registry.Storage.Drivers.Shared;

namespace Registry.Storage.Drivers.Oss;

/// <summary>Multipart calls: Initiate, UploadPart, UploadPartCopy, Complete, Abort, ListMultipartUploads, ListParts.</summary>
internal sealed partial class OssClient
{
    public async Task<string> InitiateMultipartUploadAsync(string key, string path, CancellationToken cancellationToken)
    {
        var xml = await SendForTextAsync(new OssCall(HttpMethod.Post, key, "InitiateMultipartUpload", path)
        {
            Query = [new("uploads", null)],
            ContentType = OctetStream,
            Headers = WriteHeaders(),
        }, cancellationToken).ConfigureAwait(false);
        return OssXml.Element(xml, "UploadId");
    }

    /// <summary>UploadPart; returns the part's ETag.</summary>
    public async Task<string> UploadPartAsync(string key, string uploadId, int partNumber, ReadOnlyMemory<byte> data, string path, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(new OssCall(HttpMethod.Put, key, "UploadPart", path)
        {
            Query = PartQuery(partNumber, uploadId),
            Content = new PartContent(data),
            ContentType = OctetStream,
            ContentMd5 = OssEncoding.Md5Base64(data.Span),
        }, cancellationToken).ConfigureAwait(false);
        // The raw header: CompleteMultipartUpload wants the ETag exactly as OSS gave it.
        return response.Headers.TryGetValues("ETag", out var etags) && etags.FirstOrDefault() is { Length: > 0 } etag
            ? etag
            : throw new FormatException("UploadPart answer lacks an ETag");
    }

    /// <summary>UploadPartCopy of bytes [<paramref name="first"/>, <paramref name="last"/>] of <paramref name="sourceKey"/>; returns the part's ETag.</summary>
    public async Task<string> UploadPartCopyAsync(string key, string uploadId, int partNumber, string sourceKey, long first, long last, string path, CancellationToken cancellationToken)
    {
        var xml = await SendForTextAsync(new OssCall(HttpMethod.Put, key, "UploadPartCopy", path)
        {
            Query = PartQuery(partNumber, uploadId),
            Headers =
            [
                new("x-oss-copy-source", CopySource(sourceKey)),
                new("x-oss-copy-source-range", $"bytes={first.ToString(CultureInfo.InvariantCulture)}-{last.ToString(CultureInfo.InvariantCulture)}"),
            ],
        }, cancellationToken).ConfigureAwait(false);
        return OssXml.Element(xml, "ETag");
    }

    public Task CompleteMultipartUploadAsync(string key, string uploadId, IEnumerable<OssPart> parts, string path, CancellationToken cancellationToken)
    {
        var body = Encoding.UTF8.GetBytes(OssXml.CompleteBody(parts));
        return SendAndForgetAsync(new OssCall(HttpMethod.Post, key, "CompleteMultipartUpload", path)
        {
            Query = [new("uploadId", uploadId)],
            Content = new ByteArrayContent(body),
            ContentType = "application/xml",
            ContentMd5 = OssEncoding.Md5Base64(body),
        }, cancellationToken);
    }

    public Task AbortMultipartUploadAsync(string key, string uploadId, string path, CancellationToken cancellationToken) =>
        SendAndForgetAsync(new OssCall(HttpMethod.Delete, key, "AbortMultipartUpload", path) { Query = [new("uploadId", uploadId)] }, cancellationToken);

    /// <summary>Every upload in progress whose key starts with <paramref name="prefix"/>, page by page (longer keys match too: callers pick the ones they mean).</summary>
    public async IAsyncEnumerable<OssUploadEntry> ListAllMultipartUploadsAsync(string prefix, string path, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? keyMarker = null, uploadIdMarker = null;
        do
        {
            var page = await ListMultipartUploadsAsync(prefix, keyMarker, uploadIdMarker, path, cancellationToken).ConfigureAwait(false);
            foreach (var upload in page.Uploads)
            {
                yield return upload;
            }

            (keyMarker, uploadIdMarker) = (page.NextKeyMarker, page.NextUploadIdMarker);
        }
        while (keyMarker is not null);
    }

    /// <summary>One page of ListMultipartUploads for keys starting with <paramref name="prefix"/>.</summary>
    public async Task<OssUploadPage> ListMultipartUploadsAsync(string prefix, string? keyMarker, string? uploadIdMarker, string path, CancellationToken cancellationToken)
    {
        var query = new List<KeyValuePair<string, string?>> { new("uploads", null), new("prefix", prefix), new("max-uploads", "1000") };
        if (keyMarker is not null)
        {
            query.Add(new("key-marker", keyMarker));
        }

        if (uploadIdMarker is not null)
        {
            query.Add(new("upload-id-marker", uploadIdMarker));
        }

        var xml = await SendForTextAsync(new OssCall(HttpMethod.Get, "", "ListMultipartUploads", path) { Query = query }, cancellationToken).ConfigureAwait(false);
        return OssXml.UploadPage(xml);
    }

    /// <summary>Every part of an upload, page by page, in number order.</summary>
    public async Task<List<OssPart>> ListAllPartsAsync(string key, string uploadId, string path, CancellationToken cancellationToken)
    {
        var parts = new List<OssPart>();
        int? marker = 0;
        do
        {
            var page = await ListPartsAsync(key, uploadId, marker.Value, path, cancellationToken).ConfigureAwait(false);
            parts.AddRange(page.Parts);
            marker = page.NextPartNumberMarker;
        }
        while (marker is not null);

        return parts;
    }

    /// <summary>One page of ListParts after <paramref name="partNumberMarker"/>.</summary>
    public async Task<OssPartPage> ListPartsAsync(string key, string uploadId, int partNumberMarker, string path, CancellationToken cancellationToken)
    {
        var query = new List<KeyValuePair<string, string?>> { new("uploadId", uploadId), new("max-parts", "1000") };
        if (partNumberMarker > 0)
        {
            query.Add(new("part-number-marker", partNumberMarker.ToString(CultureInfo.InvariantCulture)));
        }

        var xml = await SendForTextAsync(new OssCall(HttpMethod.Get, key, "ListParts", path) { Query = query }, cancellationToken).ConfigureAwait(false);
        return OssXml.PartPage(xml);
    }

    private static List<KeyValuePair<string, string?>> PartQuery(int partNumber, string uploadId) =>
        [new("partNumber", partNumber.ToString(CultureInfo.InvariantCulture)), new("uploadId", uploadId)];
}
