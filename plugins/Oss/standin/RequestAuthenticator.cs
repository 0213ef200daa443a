using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Registry.Storage.Oss.StandIn;

/// <summary>
/// Verifies every request's signature the way OSS documents it — V4 (<c>OSS4-HMAC-SHA256</c>,
/// header or presigned query) and V1 (header or presigned query) — recomputing the canonical
/// form from what arrived on the wire. Written apart from the driver's signer on purpose, so
/// the two do not share a mistake.
/// </summary>
internal sealed class RequestAuthenticator(OssStandInOptions options, TimeProvider time)
{
    private static readonly HashSet<string> V1SubResources = new(StringComparer.Ordinal)
    {
        "acl", "append", "continuation-token", "delete", "objectMeta", "partNumber", "position", "security-token", "uploadId", "uploads",
        "response-cache-control", "response-content-disposition", "response-content-encoding", "response-content-language",
        "response-content-type", "response-expires", "tagging", "versionId", "x-oss-process", "symlink", "restore",
    };

    private readonly string _region = options.Region.StartsWith("oss-", StringComparison.Ordinal) ? options.Region[4..] : options.Region;

    public void Verify(HttpRequest request, string key, IReadOnlyList<KeyValuePair<string, string?>> query)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("OSS4-HMAC-SHA256 ", StringComparison.Ordinal))
        {
            VerifyV4Header(request, key, query, authorization);
        }
        else if (authorization.StartsWith("OSS ", StringComparison.Ordinal))
        {
            VerifyV1Header(request, key, query, authorization);
        }
        else if (Find(query, "x-oss-signature-version") == "OSS4-HMAC-SHA256")
        {
            VerifyV4Query(request, key, query);
        }
        else if (Find(query, "OSSAccessKeyId") is not null)
        {
            VerifyV1Query(request, key, query);
        }
        else
        {
            throw new OssError(403, "AccessDenied", "You have no right to access this object because of bucket acl.");
        }
    }

    private void VerifyV4Header(HttpRequest request, string key, IReadOnlyList<KeyValuePair<string, string?>> query, string authorization)
    {
        var fields = authorization["OSS4-HMAC-SHA256 ".Length..]
            .Split(',', StringSplitOptions.TrimEntries)
            .Select(f => f.Split('=', 2))
            .ToDictionary(f => f[0], f => f.Length > 1 ? f[1] : "", StringComparer.Ordinal);
        var credential = fields.GetValueOrDefault("Credential") ?? throw InvalidAuthorization("Credential is missing");
        var signature = fields.GetValueOrDefault("Signature") ?? throw InvalidAuthorization("Signature is missing");
        var additional = fields.GetValueOrDefault("AdditionalHeaders") is { Length: > 0 } list ? list.Split(';') : [];
        var date = request.Headers["x-oss-date"].ToString();
        CheckV4Credential(credential, date);
        CheckSkew(ParseV4Time(date));
        if (request.Headers["x-oss-content-sha256"].ToString() is not "UNSIGNED-PAYLOAD")
        {
            throw InvalidAuthorization("x-oss-content-sha256 must be UNSIGNED-PAYLOAD");
        }

        CheckSecurityToken(request.Headers["x-oss-security-token"].ToString());
        CompareV4(request, key, query, additional, date, signature);
    }

    private void VerifyV4Query(HttpRequest request, string key, IReadOnlyList<KeyValuePair<string, string?>> query)
    {
        var date = Find(query, "x-oss-date") ?? throw InvalidAuthorization("x-oss-date is missing");
        CheckV4Credential(Find(query, "x-oss-credential") ?? "", date);
        var expires = long.Parse(Find(query, "x-oss-expires") ?? "0", CultureInfo.InvariantCulture);
        if (time.GetUtcNow() > ParseV4Time(date).AddSeconds(expires))
        {
            throw new OssError(403, "AccessDenied", "Request has expired.");
        }

        CheckSecurityToken(Find(query, "x-oss-security-token") ?? "");
        var additional = Find(query, "x-oss-additional-headers") is { Length: > 0 } list ? list.Split(';') : [];
        var signature = Find(query, "x-oss-signature") ?? throw InvalidAuthorization("x-oss-signature is missing");
        CompareV4(request, key, query.Where(p => p.Key != "x-oss-signature").ToList(), additional, date, signature);
    }

    private void CompareV4(HttpRequest request, string key, IReadOnlyList<KeyValuePair<string, string?>> query, string[] additional, string date, string signature)
    {
        var canonical = new StringBuilder();
        canonical.Append(request.Method).Append('\n');
        canonical.Append('/').Append(options.Bucket).Append('/').Append(Rfc3986(key, keepSlash: true)).Append('\n');
        canonical.Append(string.Join('&', query
            .Select(p => (Name: Rfc3986(p.Key, false), Value: string.IsNullOrEmpty(p.Value) ? "" : Rfc3986(p.Value, false)))
            .OrderBy(p => p.Name, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal)
            .Select(p => p.Value.Length == 0 ? p.Name : p.Name + "=" + p.Value))).Append('\n');
        var signedNames = request.Headers.Keys.Select(k => k.ToLowerInvariant())
            .Where(k => k is "content-type" or "content-md5" || k.StartsWith("x-oss-", StringComparison.Ordinal) || additional.Contains(k))
            .Distinct().Order(StringComparer.Ordinal);
        foreach (var name in signedNames)
        {
            canonical.Append(name).Append(':').Append(request.Headers[name].ToString().Trim()).Append('\n');
        }

        canonical.Append('\n').Append(string.Join(';', additional)).Append('\n').Append("UNSIGNED-PAYLOAD");
        var scope = $"{date[..8]}/{_region}/oss/aliyun_v4_request";
        var stringToSign = $"OSS4-HMAC-SHA256\n{date}\n{scope}\n{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToString())))}";
        var signingKey = Encoding.UTF8.GetBytes("aliyun_v4" + options.AccessKeySecret);
        foreach (var part in new[] { date[..8], _region, "oss", "aliyun_v4_request" })
        {
            signingKey = HMACSHA256.HashData(signingKey, Encoding.UTF8.GetBytes(part));
        }

        var expected = Convert.ToHexStringLower(HMACSHA256.HashData(signingKey, Encoding.UTF8.GetBytes(stringToSign)));
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(signature)))
        {
            throw SignatureMismatch(stringToSign, canonical.ToString());
        }
    }

    private void VerifyV1Header(HttpRequest request, string key, IReadOnlyList<KeyValuePair<string, string?>> query, string authorization)
    {
        var pair = authorization[4..].Split(':', 2);
        if (pair.Length != 2)
        {
            throw InvalidAuthorization("expected OSS AccessKeyId:Signature");
        }

        CheckAccessKey(pair[0]);
        var date = request.Headers["x-oss-date"].ToString() is { Length: > 0 } ossDate ? ossDate : request.Headers.Date.ToString();
        if (!DateTimeOffset.TryParseExact(date, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var when))
        {
            throw new OssError(403, "AccessDenied", "OSS authentication requires a valid Date.");
        }

        CheckSkew(when);
        CheckSecurityToken(request.Headers["x-oss-security-token"].ToString());
        CompareV1(request, key, query, date, pair[1]);
    }

    private void VerifyV1Query(HttpRequest request, string key, IReadOnlyList<KeyValuePair<string, string?>> query)
    {
        CheckAccessKey(Find(query, "OSSAccessKeyId")!);
        var expires = Find(query, "Expires") ?? "0";
        if (time.GetUtcNow().ToUnixTimeSeconds() > long.Parse(expires, CultureInfo.InvariantCulture))
        {
            throw new OssError(403, "AccessDenied", "Request has expired.");
        }

        CheckSecurityToken(Find(query, "security-token") ?? "");
        CompareV1(request, key, query, expires, Find(query, "Signature") ?? "");
    }

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA5350", Justification = "OSS signature V1 is defined as HMAC-SHA1.")]
    private void CompareV1(HttpRequest request, string key, IReadOnlyList<KeyValuePair<string, string?>> query, string dateLine, string signature)
    {
        var builder = new StringBuilder();
        builder.Append(request.Method).Append('\n')
            .Append(request.Headers["content-md5"].ToString()).Append('\n')
            .Append(request.Headers.ContentType.ToString()).Append('\n')
            .Append(dateLine).Append('\n');
        foreach (var name in request.Headers.Keys.Select(k => k.ToLowerInvariant()).Where(k => k.StartsWith("x-oss-", StringComparison.Ordinal)).Distinct().Order(StringComparer.Ordinal))
        {
            builder.Append(name).Append(':').Append(request.Headers[name].ToString().Trim()).Append('\n');
        }

        builder.Append('/').Append(options.Bucket).Append('/').Append(key);
        var signed = query.Where(p => V1SubResources.Contains(p.Key)).OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => string.IsNullOrEmpty(p.Value) ? p.Key : p.Key + "=" + p.Value).ToList();
        if (signed.Count > 0)
        {
            builder.Append('?').Append(string.Join('&', signed));
        }

        var stringToSign = builder.ToString();
        var expected = Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(options.AccessKeySecret), Encoding.UTF8.GetBytes(stringToSign)));
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(signature)))
        {
            throw SignatureMismatch(stringToSign, null);
        }
    }

    private void CheckV4Credential(string credential, string date)
    {
        // AccessKeyId/yyyyMMdd/region/oss/aliyun_v4_request
        var parts = credential.Split('/');
        if (parts.Length != 5 || parts[3] != "oss" || parts[4] != "aliyun_v4_request")
        {
            throw InvalidAuthorization("malformed Credential");
        }

        CheckAccessKey(parts[0]);
        if (date.Length < 8 || parts[1] != date[..8])
        {
            throw InvalidAuthorization("the Credential date does not match x-oss-date");
        }

        if (parts[2] != _region)
        {
            throw new OssError(403, "SignatureDoesNotMatch", $"Invalid signing region in Authorization header: {parts[2]}; expected {_region}.");
        }
    }

    private void CheckAccessKey(string accessKeyId)
    {
        if (accessKeyId != options.AccessKeyId)
        {
            throw new OssError(403, "InvalidAccessKeyId", "The OSS Access Key Id you provided does not exist in our records.",
                new Dictionary<string, string> { ["OSSAccessKeyId"] = accessKeyId });
        }
    }

    private void CheckSecurityToken(string token)
    {
        if (options.SecurityToken is null && token.Length > 0)
        {
            throw new OssError(403, "InvalidSecurityToken", "The security token you provided is not valid: this stand-in's keys are long-term.");
        }

        if (options.SecurityToken is not null && token != options.SecurityToken)
        {
            throw new OssError(403, token.Length == 0 ? "AccessDenied" : "InvalidSecurityToken",
                token.Length == 0 ? "These temporary credentials need their security token." : "The security token you provided is not valid.");
        }
    }

    private void CheckSkew(DateTimeOffset signedAt)
    {
        if ((time.GetUtcNow() - signedAt).Duration() > options.AllowedClockSkew)
        {
            throw new OssError(403, "RequestTimeTooSkewed", "The difference between the request time and the current time is too large.");
        }
    }

    private static DateTimeOffset ParseV4Time(string value) =>
        DateTimeOffset.TryParseExact(value, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
            ? parsed
            : throw InvalidAuthorization("x-oss-date must be yyyyMMddTHHmmssZ");

    private static OssError InvalidAuthorization(string why) => new(400, "InvalidArgument", $"Authorization header is invalid: {why}.");

    private static OssError SignatureMismatch(string stringToSign, string? canonicalRequest)
    {
        var details = new Dictionary<string, string> { ["StringToSign"] = stringToSign };
        if (canonicalRequest is not null)
        {
            details["CanonicalRequest"] = canonicalRequest;
        }

        return new OssError(403, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided. Check your key and signing method.", details);
    }

    private static string? Find(IReadOnlyList<KeyValuePair<string, string?>> query, string name) =>
        query.FirstOrDefault(p => p.Key == name).Value;

    private static string Rfc3986(string value, bool keepSlash)
    {
        var builder = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            builder.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~' || (keepSlash && c == '/') ? c.ToString() : $"%{b:X2}");
        }

        return builder.ToString();
    }
}
