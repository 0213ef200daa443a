using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Registry.Storage.Oss.StandIn;

/// <summary>
/// The request pipeline: virtual-hosted bucket from the Host header, signature check, then
/// dispatch by method and sub-resource to the object, bucket and multipart handlers; any
/// <see cref="OssError"/> becomes OSS's error XML with the request id.
/// </summary>
internal sealed partial class StandInHandlers(OssStandInOptions options, BlobStore store, RequestAuthenticator authenticator)
{
    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var response = context.Response;
        var requestId = RandomNumberGenerator.GetHexString(24);
        response.Headers["x-oss-request-id"] = requestId;
        try
        {
            var (path, query) = ParseTarget(context.Features.Get<IHttpRequestFeature>()!.RawTarget);
            var key = KeyOf(request.Host.Host, path);
            authenticator.Verify(request, key, query);
            await DispatchAsync(context, key, new Query(query)).ConfigureAwait(false);
        }
        catch (OssError error)
        {
            if (response.HasStarted)
            {
                throw;
            }

            response.Clear();
            response.StatusCode = error.Status;
            response.Headers["x-oss-request-id"] = requestId;
            if (!HttpMethods.IsHead(request.Method))
            {
                response.ContentType = "application/xml";
                await response.WriteAsync(error.ToXml(requestId, request.Host.Host), context.RequestAborted).ConfigureAwait(false);
            }
        }
    }

    private Task DispatchAsync(HttpContext context, string key, Query query)
    {
        var method = context.Request.Method;
        var copySource = context.Request.Headers["x-oss-copy-source"].ToString();
        if (key.Length == 0)
        {
            return method switch
            {
                "GET" when query.Has("uploads") => ListUploadsAsync(context, query),
                "GET" when query.Get("list-type") == "2" => ListObjectsV2Async(context, query),
                "GET" => throw OssError.InvalidArgument("This stand-in lists with ListObjectsV2 (list-type=2) only."),
                "POST" when query.Has("delete") => DeleteMultipleAsync(context),
                _ => throw MethodNotAllowed(method),
            };
        }

        return method switch
        {
            "PUT" when query.Has("uploadId") && copySource.Length > 0 => UploadPartCopyAsync(context, key, query, copySource),
            "PUT" when query.Has("uploadId") => UploadPartAsync(context, key, query),
            "PUT" when copySource.Length > 0 => CopyObjectAsync(context, key, copySource),
            "PUT" => PutObjectAsync(context, key),
            "GET" when query.Has("uploadId") => ListPartsAsync(context, key, query),
            "GET" => GetObjectAsync(context, key, head: false),
            "HEAD" => GetObjectAsync(context, key, head: true),
            "DELETE" when query.Has("uploadId") => AbortAsync(context, key, query),
            "DELETE" => DeleteObjectAsync(context, key),
            "POST" when query.Has("uploads") => InitiateAsync(context, key),
            "POST" when query.Has("uploadId") => CompleteAsync(context, key, query),
            _ => throw MethodNotAllowed(method),
        };
    }

    // OSS's two addressing styles: virtual-hosted (<bucket>.<endpoint host>, the key is the path) for
    // names, path-style (http://<ip>/<bucket>/<key>) for an IP address or localhost, as the official
    // clients address an endpoint given by IP.
    private string KeyOf(string host, string path)
    {
        if (System.Net.IPAddress.TryParse(host, out _) || string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            var slash = path.IndexOf('/', StringComparison.Ordinal);
            var bucketName = slash < 0 ? path : path[..slash];
            CheckBucket(bucketName);
            return slash < 0 ? "" : path[(slash + 1)..];
        }

        var suffix = "." + options.EndpointHost;
        if (!host.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
        {
            throw new OssError(403, "SecondLevelDomainForbidden", $"Please use virtual hosted style to access: <bucket>.{options.EndpointHost}.");
        }

        CheckBucket(host[..^suffix.Length]);
        return path;
    }

    private void CheckBucket(string bucket)
    {
        if (!string.Equals(bucket, options.Bucket, StringComparison.Ordinal))
        {
            throw new OssError(404, "NoSuchBucket", "The specified bucket does not exist.", new Dictionary<string, string> { ["BucketName"] = bucket });
        }
    }

    // The raw request target, decoded here rather than by Kestrel so %2F and '+' keep OSS's meaning.
    private static (string Key, List<KeyValuePair<string, string?>> Query) ParseTarget(string rawTarget)
    {
        var question = rawTarget.IndexOf('?', StringComparison.Ordinal);
        var path = question < 0 ? rawTarget : rawTarget[..question];
        var query = new List<KeyValuePair<string, string?>>();
        if (question >= 0)
        {
            foreach (var pair in rawTarget[(question + 1)..].Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var eq = pair.IndexOf('=', StringComparison.Ordinal);
                query.Add(eq < 0
                    ? new(Uri.UnescapeDataString(pair), null)
                    : new(Uri.UnescapeDataString(pair[..eq]), Uri.UnescapeDataString(pair[(eq + 1)..])));
            }
        }

        return (Uri.UnescapeDataString(path.TrimStart('/')), query);
    }

    private static OssError MethodNotAllowed(string method) => new(405, "MethodNotAllowed", $"The specified method {method} is not allowed against this resource.");

    private static string ETagOf(byte[] md5) => "\"" + Convert.ToHexString(md5) + "\"";

    private static async Task WriteXmlAsync(HttpContext context, XmlBody body)
    {
        context.Response.ContentType = "application/xml";
        var bytes = Encoding.UTF8.GetBytes(body.ToString());
        context.Response.ContentLength = bytes.Length;
        await context.Response.Body.WriteAsync(bytes, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>The decoded query of one request.</summary>
    private sealed class Query(List<KeyValuePair<string, string?>> pairs)
    {
        public bool Has(string name) => pairs.Exists(p => p.Key == name);

        public string? Get(string name) => pairs.FirstOrDefault(p => p.Key == name).Value;

        public int GetInt(string name, int defaultValue, int min, int max)
        {
            var text = Get(name);
            if (string.IsNullOrEmpty(text))
            {
                return defaultValue;
            }

            return int.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
                ? value
                : throw OssError.InvalidArgument($"{name} must be an integer from {min} to {max}.");
        }
    }
}
