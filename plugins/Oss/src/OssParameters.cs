using Registry.Storage.Drivers.Oss.Signing;

namespace Registry.Storage.Drivers.Oss;

/// <summary>The OSS signature versions the driver can sign with.</summary>
public enum OssSignatureVersion
{
    /// <summary><c>OSS4-HMAC-SHA256</c>, the current scheme (default).</summary>
    V4,

    /// <summary>The legacy HMAC-SHA1 scheme.</summary>
    V1,
}

/// <summary>
/// The oss driver's configuration, parsed from <see cref="DriverParameters"/> with
/// distribution's names and defaults (plus <c>signatureversion</c>, <c>securitytoken</c> and
/// the test-only <c>testloopback</c>).
/// </summary>
public sealed record OssParameters
{
    /// <summary>Distribution's default chunk size: 10 MiB.</summary>
    public const long DefaultChunkSize = 10L << 20;

    /// <summary>Distribution's minimum chunk size: 5 MiB (OSS itself accepts 100 KB parts).</summary>
    public const long MinChunkSize = 5L << 20;

    /// <summary>The largest chunk this driver buffers: 1 GiB (memory is chunk size × (concurrency + 1)).</summary>
    public const long MaxChunkSize = 1L << 30;

    /// <summary>Every parameter name the driver understands.</summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        "accesskeyid", "accesskeysecret", "region", "bucket", "endpoint", "internal", "encrypt", "secure", "chunksize",
        "rootdirectory", "signatureversion", "securitytoken", "testloopback",
    ];

    /// <summary>The key pair and optional STS token.</summary>
    public required OssCredentials Credentials { get; init; }

    /// <summary>The region, e.g. <c>oss-cn-hangzhou</c>.</summary>
    public required string Region { get; init; }

    /// <summary>The bucket.</summary>
    public required string Bucket { get; init; }

    /// <summary>The endpoint the bucket is addressed under (scheme, host, optional port): <c>https://oss-cn-hangzhou.aliyuncs.com</c> by default.</summary>
    public required Uri Endpoint { get; init; }

    /// <summary>Server-side encryption (<c>x-oss-server-side-encryption: AES256</c>) on every write.</summary>
    public bool Encrypt { get; init; }

    /// <summary>The multipart chunk size.</summary>
    public long ChunkSize { get; init; } = DefaultChunkSize;

    /// <summary>The key prefix everything lives under, without leading or trailing slash (empty for the bucket root).</summary>
    public string RootDirectory { get; init; } = "";

    /// <summary>How requests are signed.</summary>
    public OssSignatureVersion SignatureVersion { get; init; } = OssSignatureVersion.V4;

    /// <summary>
    /// Test-only: connect every request to 127.0.0.1 at the endpoint's port, whatever host name
    /// the URL carries, so a local stand-in sees real virtual-hosted requests without DNS.
    /// </summary>
    public bool TestLoopback { get; init; }

    /// <summary>
    /// Path-style addressing (<c>scheme://endpoint/bucket/key</c>) for an endpoint given as an IP
    /// address or <c>localhost</c>, as the official clients do: no <c>bucket.127.0.0.1</c> exists to resolve.
    /// </summary>
    public bool PathStyle => Endpoint.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6
        || string.Equals(Endpoint.Host, "localhost", StringComparison.OrdinalIgnoreCase);

    /// <summary>The bucket's base URL: virtual-hosted <c>scheme://bucket.endpoint-host[:port]</c>, or path-style <c>scheme://endpoint/bucket</c> (<see cref="PathStyle"/>).</summary>
    public Uri BucketBase => PathStyle
        ? new UriBuilder(Endpoint.Scheme, Endpoint.Host, Endpoint.Port, "/" + Bucket).Uri
        : new UriBuilder(Endpoint.Scheme, $"{Bucket}.{Endpoint.Host}", Endpoint.Port).Uri;

    /// <summary>Parses and validates <paramref name="parameters"/>; unknown names fail, so typos never go unnoticed.</summary>
    public static OssParameters Parse(DriverParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        parameters.RejectUnknown(Names);
        var region = parameters.GetRequiredString("region", "an OSS region such as oss-cn-hangzhou");
        var secure = parameters.GetBoolean("secure", true);
        var isInternal = parameters.GetBoolean("internal", false);
        return new OssParameters
        {
            Credentials = new OssCredentials(
                parameters.GetRequiredString("accesskeyid", "an AccessKey ID"),
                parameters.GetRequiredString("accesskeysecret", "an AccessKey secret"),
                parameters.GetString("securitytoken")),
            Region = region,
            Bucket = ParseBucket(parameters),
            Endpoint = ParseEndpoint(parameters, parameters.GetString("endpoint"), region, isInternal, secure),
            Encrypt = parameters.GetBoolean("encrypt", false),
            ChunkSize = parameters.GetByteSize("chunksize", DefaultChunkSize, MinChunkSize, MaxChunkSize),
            RootDirectory = (parameters.GetString("rootdirectory") ?? "").Trim('/'),
            SignatureVersion = parameters.GetEnum("signatureversion", OssSignatureVersion.V4),
            TestLoopback = parameters.GetBoolean("testloopback", false),
        };
    }

    /// <summary>The signer for the configured version.</summary>
    public IOssSigner CreateSigner() => SignatureVersion == OssSignatureVersion.V1
        ? new OssV1Signer(Credentials)
        : new OssV4Signer(Credentials, Region);

    /// <summary>Everything but the secret and the token.</summary>
    public override string ToString() =>
        $"OssParameters {{ AccessKeyId = {Credentials.AccessKeyId}, AccessKeySecret = ******, Region = {Region}, Bucket = {Bucket}, Endpoint = {Endpoint}, " +
        $"Encrypt = {Encrypt}, ChunkSize = {ChunkSize}, RootDirectory = {RootDirectory}, SignatureVersion = {SignatureVersion}, TestLoopback = {TestLoopback} }}";

    private static string ParseBucket(DriverParameters parameters)
    {
        var bucket = parameters.GetRequiredString("bucket", "a bucket name");
        // OSS bucket names: 3-63 characters, lower-case letters, digits and hyphens, not starting or ending with a hyphen.
        var valid = bucket.Length is >= 3 and <= 63 && bucket[0] != '-' && bucket[^1] != '-'
            && bucket.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-');
        return valid ? bucket : throw parameters.Invalid("bucket", bucket, "an OSS bucket name: 3-63 lower-case letters, digits and hyphens");
    }

    private static Uri ParseEndpoint(DriverParameters parameters, string? endpoint, string region, bool isInternal, bool secure)
    {
        var scheme = secure ? "https" : "http";
        if (endpoint is null)
        {
            return new Uri($"{scheme}://{region}{(isInternal ? "-internal" : "")}.aliyuncs.com");
        }

        // An endpoint with a scheme keeps it (tests use http://...); a bare host takes `secure`.
        var text = endpoint.Contains("://", StringComparison.Ordinal) ? endpoint : $"{scheme}://{endpoint}";
        return Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.AbsolutePath == "/" && uri.Query.Length == 0 && uri.Host.Length > 0
            ? uri
            : throw parameters.Invalid("endpoint", endpoint, "a host such as oss-cn-hangzhou.aliyuncs.com, optionally with http(s):// and a port, without a path");
    }
}
