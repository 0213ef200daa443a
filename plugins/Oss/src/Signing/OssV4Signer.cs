using System.Globalization;
using System.Text;

namespace Registry.Storage.Drivers.Oss.Signing;

/// <summary>
/// OSS signature V4 (<c>OSS4-HMAC-SHA256</c>), as Alibaba documents it and the official
/// client computes it: canonical URI <c>/bucket/key</c> (percent-encoded, <c>/</c> kept) even
/// for virtual-hosted requests, every query parameter signed, <c>content-type</c>,
/// <c>content-md5</c> and <c>x-oss-*</c> headers signed, payload <c>UNSIGNED-PAYLOAD</c>.
/// </summary>
public sealed class OssV4Signer : IOssSigner
{
    /// <summary>The algorithm name in headers and presigned URLs.</summary>
    public const string Algorithm = "OSS4-HMAC-SHA256";

    /// <summary>The payload hash OSS accepts without hashing the body (bodies are streams here).</summary>
    public const string UnsignedPayload = "UNSIGNED-PAYLOAD";

    private readonly OssCredentials _credentials;
    private readonly string _region;

    /// <summary>Creates a signer for <paramref name="region"/> (with or without the <c>oss-</c> prefix, which signing drops).</summary>
    public OssV4Signer(OssCredentials credentials, string region)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        ArgumentException.ThrowIfNullOrEmpty(region);
        _credentials = credentials;
        _region = SigningRegion(region);
    }

    /// <summary>The region as the credential scope names it: <c>oss-cn-hangzhou</c> → <c>cn-hangzhou</c>.</summary>
    public static string SigningRegion(string region) =>
        region.StartsWith("oss-", StringComparison.OrdinalIgnoreCase) ? region[4..] : region;

    /// <inheritdoc />
    public void AddSigningHeaders(IList<KeyValuePair<string, string>> headers, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(headers);
        headers.Add(new("x-oss-date", FormatTime(now)));
        headers.Add(new("x-oss-content-sha256", UnsignedPayload));
        if (_credentials.SecurityToken is { } token)
        {
            headers.Add(new("x-oss-security-token", token));
        }
    }

    /// <inheritdoc />
    public OssSignature Sign(OssSigningRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var time = request.Header("x-oss-date")
            ?? throw new InvalidOperationException("a V4 request needs an x-oss-date header; call AddSigningHeaders first");
        var canonical = CanonicalRequest(request.Method, request.Bucket, request.Key, request.Query, request.Headers);
        var (stringToSign, signature) = Compute(time, canonical);
        var authorization = $"{Algorithm} Credential={_credentials.AccessKeyId}/{Scope(time)},Signature={signature}";
        return new OssSignature(authorization, canonical, stringToSign, signature);
    }

    /// <inheritdoc />
    public OssPresignature Presign(OssSigningRequest request, DateTimeOffset now, TimeSpan expiry)
    {
        ArgumentNullException.ThrowIfNull(request);
        var time = FormatTime(now);
        var parameters = new List<KeyValuePair<string, string>>
        {
            new("x-oss-credential", $"{_credentials.AccessKeyId}/{Scope(time)}"),
            new("x-oss-date", time),
            new("x-oss-expires", ((long)expiry.TotalSeconds).ToString(CultureInfo.InvariantCulture)),
            new("x-oss-signature-version", Algorithm),
        };
        if (_credentials.SecurityToken is { } token)
        {
            parameters.Add(new("x-oss-security-token", token));
        }

        var query = request.Query.Concat(parameters.Select(p => new KeyValuePair<string, string?>(p.Key, p.Value))).ToList();
        var canonical = CanonicalRequest(request.Method, request.Bucket, request.Key, query, request.Headers);
        var (stringToSign, signature) = Compute(time, canonical);
        parameters.Add(new("x-oss-signature", signature));
        return new OssPresignature(parameters, canonical, stringToSign);
    }

    /// <summary>
    /// The canonical request: method, canonical URI, canonical query, canonical headers (one
    /// <c>name:value</c> line each), the additional-headers list (empty: this signer signs only
    /// the headers OSS always signs), and the payload hash.
    /// </summary>
    public static string CanonicalRequest(
        string method,
        string bucket,
        string key,
        IEnumerable<KeyValuePair<string, string?>> query,
        IEnumerable<KeyValuePair<string, string>> headers)
    {
        ArgumentNullException.ThrowIfNull(bucket);
        var builder = new StringBuilder();
        builder.Append(method).Append('\n');
        builder.Append('/').Append(bucket.Length == 0 ? "" : bucket + "/").Append(OssEncoding.Encode(key, keepSlash: true)).Append('\n');
        builder.Append(CanonicalQuery(query)).Append('\n');
        foreach (var (name, value) in CanonicalHeaders(headers))
        {
            builder.Append(name).Append(':').Append(value).Append('\n');
        }

        builder.Append('\n');
        builder.Append('\n');
        builder.Append(UnsignedPayload);
        return builder.ToString();
    }

    /// <summary>Every query parameter, name and value RFC 3986 encoded, sorted; a bare flag has no <c>=</c>.</summary>
    public static string CanonicalQuery(IEnumerable<KeyValuePair<string, string?>> query) =>
        string.Join('&', query
            .Select(p => (Name: OssEncoding.Encode(p.Key), Value: string.IsNullOrEmpty(p.Value) ? null : OssEncoding.Encode(p.Value)))
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .ThenBy(p => p.Value, StringComparer.Ordinal)
            .Select(p => p.Value is null ? p.Name : p.Name + "=" + p.Value));

    /// <summary>The headers V4 always signs (<c>content-type</c>, <c>content-md5</c>, <c>x-oss-*</c>), lower-cased, trimmed, sorted.</summary>
    public static IEnumerable<KeyValuePair<string, string>> CanonicalHeaders(IEnumerable<KeyValuePair<string, string>> headers) =>
        headers
            .Select(h => new KeyValuePair<string, string>(h.Key.ToLowerInvariant(), h.Value.Trim()))
            .Where(h => h.Key is "content-type" or "content-md5" || h.Key.StartsWith("x-oss-", StringComparison.Ordinal))
            .OrderBy(h => h.Key, StringComparer.Ordinal);

    /// <summary>The time format of <c>x-oss-date</c>: <c>yyyyMMddTHHmmssZ</c> in UTC.</summary>
    public static string FormatTime(DateTimeOffset time) => time.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

    private string Scope(string time) => $"{time[..8]}/{_region}/oss/aliyun_v4_request";

    private (string StringToSign, string Signature) Compute(string time, string canonicalRequest)
    {
        var stringToSign = $"{Algorithm}\n{time}\n{Scope(time)}\n{OssEncoding.Sha256Hex(canonicalRequest)}";
        var key = OssEncoding.HmacSha256(Encoding.UTF8.GetBytes("aliyun_v4" + _credentials.AccessKeySecret), time[..8]);
        key = OssEncoding.HmacSha256(key, _region);
        key = OssEncoding.HmacSha256(key, "oss");
        key = OssEncoding.HmacSha256(key, "aliyun_v4_request");
        return (stringToSign, Convert.ToHexStringLower(OssEncoding.HmacSha256(key, stringToSign)));
    }
}
