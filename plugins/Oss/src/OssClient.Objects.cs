using System.Globalization;
using System.Net;
using System.Text;
using Registry.Storage.Drivers.Oss.Signing;
using Registry.Storage.Drivers.Shared;

namespace Registry.Storage.Drivers.Oss;

/// <summary>What HeadObject says about an object.</summary>
internal sealed record OssObjectHead(long Size, DateTimeOffset LastModified);

/// <summary>Object calls: PutObject, GetObject, HeadObject, DeleteObject, DeleteMultipleObjects, CopyObject, ListObjectsV2.</summary>
internal sealed partial class OssClient
{
    /// <summary>The most keys DeleteMultipleObjects takes in one request.</summary>
    public const int MaxDeleteKeys = 1000;

    /// <summary>The most keys a listing page returns.</summary>
    public const int MaxListKeys = 1000;

    /// <summary>The largest object CopyObject copies; larger ones go through UploadPartCopy.</summary>
    public const long CopyObjectLimit = 1L << 30;

    private const string OctetStream = "application/octet-stream";

    public Task PutObjectAsync(string key, ReadOnlyMemory<byte> content, string path, CancellationToken cancellationToken) =>
        SendAndForgetAsync(new OssCall(HttpMethod.Put, key, "PutObject", path)
        {
            Content = new PartContent(content),
            ContentType = OctetStream,
            ContentMd5 = OssEncoding.Md5Base64(content.Span),
            Headers = WriteHeaders(),
        }, cancellationToken);

    /// <summary>GetObject from <paramref name="offset"/>; <see langword="null"/> when the offset is at or past the end (OSS's 416 with standard range behaviour).</summary>
    public async Task<HttpResponseMessage?> GetObjectAsync(string key, long offset, string path, CancellationToken cancellationToken, string? ifMatch = null, long? end = null)
    {
        var call = new OssCall(HttpMethod.Get, key, "GetObject", path) { Expected = [HttpStatusCode.RequestedRangeNotSatisfiable, HttpStatusCode.PreconditionFailed] };
        if (offset > 0 || end is not null)
        {
            // Without "standard", OSS answers an unsatisfiable range with the whole object.
            var last = end is { } e ? (e - 1).ToString(CultureInfo.InvariantCulture) : "";
            call.Headers.Add(new("Range", $"bytes={offset.ToString(CultureInfo.InvariantCulture)}-{last}"));
            call.Headers.Add(new("x-oss-range-behavior", "standard"));
        }

        if (ifMatch is not null)
        {
            call.Headers.Add(new("If-Match", ifMatch));
        }

        var response = await SendAsync(call, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
        {
            response.Dispose();
            return null;
        }

        if (response.StatusCode == HttpStatusCode.PreconditionFailed)
        {
            response.Dispose();
            throw new OssObjectReplacedException();
        }

        return response;
    }

    /// <summary>HeadObject; <see langword="null"/> when there is no such object.</summary>
    public async Task<OssObjectHead?> HeadObjectAsync(string key, string path, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(new OssCall(HttpMethod.Head, key, "HeadObject", path) { Expected = [HttpStatusCode.NotFound] }, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        return new OssObjectHead(response.Content.Headers.ContentLength ?? 0, response.Content.Headers.LastModified ?? DateTimeOffset.MinValue);
    }

    public Task DeleteObjectAsync(string key, string path, CancellationToken cancellationToken) =>
        SendAndForgetAsync(new OssCall(HttpMethod.Delete, key, "DeleteObject", path), cancellationToken);

    /// <summary>DeleteMultipleObjects in quiet mode, with the Content-MD5 OSS requires.</summary>
    public Task DeleteObjectsAsync(IReadOnlyCollection<string> keys, string path, CancellationToken cancellationToken)
    {
        if (keys.Count is 0 or > MaxDeleteKeys)
        {
            throw new ArgumentOutOfRangeException(nameof(keys), keys.Count, $"DeleteMultipleObjects takes 1 to {MaxDeleteKeys} keys");
        }

        var body = Encoding.UTF8.GetBytes(OssXml.DeleteBody(keys));
        return SendAndForgetAsync(new OssCall(HttpMethod.Post, "", "DeleteMultipleObjects", path)
        {
            Query = [new("delete", null)],
            Content = new ByteArrayContent(body),
            ContentType = "application/xml",
            ContentMd5 = OssEncoding.Md5Base64(body),
        }, cancellationToken);
    }

    /// <summary>CopyObject within the bucket (sources up to <see cref="CopyObjectLimit"/>).</summary>
    public Task CopyObjectAsync(string sourceKey, string destinationKey, string path, CancellationToken cancellationToken)
    {
        var headers = WriteHeaders();
        headers.Add(new("x-oss-copy-source", CopySource(sourceKey)));
        return SendAndForgetAsync(new OssCall(HttpMethod.Put, destinationKey, "CopyObject", path) { Headers = headers }, cancellationToken);
    }

    /// <summary>One page of ListObjectsV2.</summary>
    public async Task<OssObjectPage> ListObjectsAsync(string prefix, string? delimiter, string? startAfter, string? continuationToken, int maxKeys, string path, CancellationToken cancellationToken)
    {
        var query = new List<KeyValuePair<string, string?>> { new("list-type", "2"), new("prefix", prefix), new("max-keys", maxKeys.ToString(CultureInfo.InvariantCulture)) };
        if (delimiter is not null)
        {
            query.Add(new("delimiter", delimiter));
        }

        if (startAfter is not null)
        {
            query.Add(new("start-after", startAfter));
        }

        if (continuationToken is not null)
        {
            query.Add(new("continuation-token", continuationToken));
        }

        var xml = await SendForTextAsync(new OssCall(HttpMethod.Get, "", "ListObjectsV2", path) { Query = query }, cancellationToken).ConfigureAwait(false);
        return OssXml.ObjectPage(xml);
    }

    // x-oss-copy-source is /bucket/key with the key URL-encoded, '/' included, as the official client sends it.
    private string CopySource(string key) => $"/{Parameters.Bucket}/{OssEncoding.Encode(key)}";

    private List<KeyValuePair<string, string>> WriteHeaders() =>
        Parameters.Encrypt ? [new("x-oss-server-side-encryption", "AES256")] : [];
}

/// <summary>A conditional GET found another version of the object than the one pinned.</summary>
internal sealed class OssObjectReplacedException : Exception
{
    public OssObjectReplacedException()
        : base("the object's ETag no longer matches")
    {
    }
}
