using System.Globalization;
using System.Text;

namespace Registry.Storage.Drivers.Oss.Signing;

/// <summary>
/// OSS signature V1 (HMAC-SHA1), as Alibaba documents it and the official client sends it:
/// <c>x-oss-date</c> instead of <c>Date</c> (so the date line carries its value and it is also
/// a canonical <c>x-oss-*</c> header); the canonical resource is <c>/bucket/key</c> with the raw
/// UTF-8 key plus the signed sub-resources, sorted. Ordinary query parameters are not signed.
/// </summary>
public sealed class OssV1Signer : IOssSigner
{
    // The query parameters V1 signs (OSS's sub-resources and response overrides); anything
    // else (prefix, marker, max-keys, list-type ...) stays out of the string to sign.
    private static readonly HashSet<string> SubResources = new(StringComparer.Ordinal)
    {
        "acl", "append", "bucketInfo", "callback", "callback-var", "cname", "comp", "continuation-token", "cors", "delete",
        "encryption", "endTime", "img", "lifecycle", "live", "location", "logging", "objectMeta", "partNumber", "policy",
        "position", "qos", "qosInfo", "referer", "replication", "replicationLocation", "replicationProgress", "response-cache-control",
        "response-content-disposition", "response-content-encoding", "response-content-language", "response-content-type",
        "response-expires", "restore", "security-token", "sequential", "startTime", "stat", "status", "style", "styleName",
        "symlink", "tagging", "udf", "udfApplication", "udfApplicationLog", "udfId", "udfImage", "udfImageDesc", "udfName",
        "uploadId", "uploads", "versionId", "versioning", "versions", "vod", "website", "x-oss-process", "x-oss-traffic-limit",
    };

    private readonly OssCredentials _credentials;

    /// <summary>Creates a signer.</summary>
    public OssV1Signer(OssCredentials credentials)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        _credentials = credentials;
    }

    /// <inheritdoc />
    public void AddSigningHeaders(IList<KeyValuePair<string, string>> headers, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(headers);
        headers.Add(new("x-oss-date", now.UtcDateTime.ToString("r", CultureInfo.InvariantCulture)));
        if (_credentials.SecurityToken is { } token)
        {
            headers.Add(new("x-oss-security-token", token));
        }
    }

    /// <inheritdoc />
    public OssSignature Sign(OssSigningRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var date = request.Header("x-oss-date") ?? request.Header("date")
            ?? throw new InvalidOperationException("a V1 request needs an x-oss-date or Date header; call AddSigningHeaders first");
        var stringToSign = StringToSign(request, date, request.Query);
        var signature = OssEncoding.HmacSha1Base64(_credentials.AccessKeySecret, stringToSign);
        return new OssSignature($"OSS {_credentials.AccessKeyId}:{signature}", null, stringToSign, signature);
    }

    /// <inheritdoc />
    public OssPresignature Presign(OssSigningRequest request, DateTimeOffset now, TimeSpan expiry)
    {
        ArgumentNullException.ThrowIfNull(request);
        var expires = (now.ToUnixTimeSeconds() + (long)expiry.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        var query = request.Query.ToList();
        if (_credentials.SecurityToken is { } token)
        {
            query.Add(new("security-token", token));
        }

        var stringToSign = StringToSign(request, expires, query);
        var parameters = new List<KeyValuePair<string, string>>
        {
            new("OSSAccessKeyId", _credentials.AccessKeyId),
            new("Expires", expires),
            new("Signature", OssEncoding.HmacSha1Base64(_credentials.AccessKeySecret, stringToSign)),
        };
        if (_credentials.SecurityToken is { } securityToken)
        {
            parameters.Add(new("security-token", securityToken));
        }

        return new OssPresignature(parameters, null, stringToSign);
    }

    /// <summary>
    /// <c>VERB \n Content-MD5 \n Content-Type \n Date \n CanonicalizedOSSHeaders CanonicalizedResource</c>;
    /// for a presigned URL the date line is the expiry (Unix seconds).
    /// </summary>
    public static string StringToSign(OssSigningRequest request, string dateLine, IEnumerable<KeyValuePair<string, string?>> query)
    {
        ArgumentNullException.ThrowIfNull(request);
        var builder = new StringBuilder();
        builder.Append(request.Method).Append('\n');
        builder.Append(request.Header("content-md5") ?? "").Append('\n');
        builder.Append(request.Header("content-type") ?? "").Append('\n');
        builder.Append(dateLine).Append('\n');
        foreach (var (name, value) in request.Headers
                     .Select(h => (Name: h.Key.ToLowerInvariant(), Value: h.Value.Trim()))
                     .Where(h => h.Name.StartsWith("x-oss-", StringComparison.Ordinal))
                     .OrderBy(h => h.Name, StringComparer.Ordinal))
        {
            builder.Append(name).Append(':').Append(value).Append('\n');
        }

        builder.Append(CanonicalResource(request.Bucket, request.Key, query));
        return builder.ToString();
    }

    /// <summary><c>/bucket/key</c> (raw key) plus the signed sub-resources, sorted, joined by <c>&amp;</c>.</summary>
    public static string CanonicalResource(string bucket, string key, IEnumerable<KeyValuePair<string, string?>> query)
    {
        var resource = $"/{bucket}/{key}";
        var signed = query
            .Where(p => SubResources.Contains(p.Key))
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => string.IsNullOrEmpty(p.Value) ? p.Key : p.Key + "=" + p.Value)
            .ToList();
        return signed.Count == 0 ? resource : resource + "?" + string.Join('&', signed);
    }
}
