using System.Text;
using Registry.Storage.Drivers.Oss.Signing;
using Registry.Storage.Kit;

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
    /// <summary>Distribution's minimum chunk size: 5 MiB (OSS itself accepts 100 KB parts).</summary>
    public const long MinChunkSize = 5L << 20;

    /// <summary>The largest chunk this driver buffers: 1 GiB (memory is chunk size × (concurrency + 1)).</summary>
    public const long MaxChunkSize = 1L << 30;

    /// <summary>Every parameter the driver understands, each declared once.</summary>
    public static DriverParameterTable Table { get; } = new(
        Declared.AccessKeyId, Declared.AccessKeySecret, Declared.Region, Declared.Bucket, Declared.Endpoint, Declared.Internal, Declared.Encrypt,
        Declared.Secure, Declared.ChunkSize, Declared.RootDirectory, Declared.SignatureVersion, Declared.SecurityToken, Declared.TestLoopback);

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
    public long ChunkSize { get; init; } = Declared.ChunkSize.Default;

    /// <summary>The key prefix everything lives under, without leading or trailing slash (empty for the bucket root).</summary>
    public string RootDirectory { get; init; } = "";

    /// <summary>How requests are signed.</summary>
    public OssSignatureVersion SignatureVersion { get; init; } = Declared.SignatureVersion.Default;

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
        Table.RejectUnknown(parameters);
        var region = Declared.Region.ReadRequired(parameters);
        var secure = Declared.Secure.Read(parameters);
        var isInternal = Declared.Internal.Read(parameters);
        return new OssParameters
        {
            Credentials = new OssCredentials(
                Declared.AccessKeyId.ReadRequired(parameters),
                Declared.AccessKeySecret.ReadRequired(parameters),
                Declared.SecurityToken.Read(parameters)),
            Region = region,
            Bucket = ParseBucket(parameters),
            Endpoint = ParseEndpoint(parameters, Declared.Endpoint.Read(parameters), region, isInternal, secure),
            Encrypt = Declared.Encrypt.Read(parameters),
            ChunkSize = Declared.ChunkSize.Read(parameters),
            RootDirectory = Declared.RootDirectory.Read(parameters)!.Trim('/'),
            SignatureVersion = Declared.SignatureVersion.Read(parameters),
            TestLoopback = Declared.TestLoopback.Read(parameters),
        };
    }

    /// <summary>The signer for the configured version.</summary>
    public IOssSigner CreateSigner() => SignatureVersion == OssSignatureVersion.V1
        ? new OssV1Signer(Credentials)
        : new OssV4Signer(Credentials, Region);

    // Records print every property: the table masks the credentials it declares secret, and
    // OssCredentials masks its own.
    private bool PrintMembers(StringBuilder builder) => Table.PrintMembers(builder, this);

    private static string ParseBucket(DriverParameters parameters)
    {
        var bucket = Declared.Bucket.ReadRequired(parameters);
        // OSS bucket names: 3-63 characters, lower-case letters, digits and hyphens, not starting or ending with a hyphen.
        var valid = bucket.Length is >= 3 and <= 63 && bucket[0] != '-' && bucket[^1] != '-'
            && bucket.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-');
        return valid ? bucket : throw parameters.Invalid(Declared.Bucket.Name, bucket, "an OSS bucket name: 3-63 lower-case letters, digits and hyphens");
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
            : throw parameters.Invalid(Declared.Endpoint.Name, endpoint, "a host such as oss-cn-hangzhou.aliyuncs.com, optionally with http(s):// and a port, without a path");
    }

    /// <summary>The parameters' declarations: name, default, range, secrecy and description of each.</summary>
    public static class Declared
    {
        /// <summary><c>accesskeyid</c></summary>
        public static readonly StringParameter AccessKeyId = new("accesskeyid", "The AccessKey ID requests are signed with.") { Required = true, Expected = "an AccessKey ID" };

        /// <summary><c>accesskeysecret</c></summary>
        public static readonly StringParameter AccessKeySecret = new("accesskeysecret", "The AccessKey secret requests are signed with.")
        {
            Required = true,
            Secret = true,
            Expected = "an AccessKey secret",
        };

        /// <summary><c>region</c></summary>
        public static readonly StringParameter Region = new("region", "The OSS region, e.g. oss-cn-hangzhou; V4 signatures use it without the oss- prefix.")
        {
            Required = true,
            Expected = "an OSS region such as oss-cn-hangzhou",
        };

        /// <summary><c>bucket</c></summary>
        public static readonly StringParameter Bucket = new("bucket", "The bucket, addressed virtual-hosted as <bucket>.<endpoint>.") { Required = true, Expected = "a bucket name" };

        /// <summary><c>endpoint</c></summary>
        public static readonly StringParameter Endpoint = new("endpoint", "The endpoint host (optionally with scheme and port).") { DefaultDescription = "<region>[-internal].aliyuncs.com" };

        /// <summary><c>internal</c></summary>
        public static readonly BooleanParameter Internal = new("internal", "Use the region's internal (VPC) endpoint when no endpoint is given.");

        /// <summary><c>encrypt</c></summary>
        public static readonly BooleanParameter Encrypt = new("encrypt", "Server-side encryption (AES256) on every write.");

        /// <summary><c>secure</c></summary>
        public static readonly BooleanParameter Secure = new("secure", "HTTPS (true) or HTTP for an endpoint given without a scheme.") { Default = true };

        /// <summary><c>chunksize</c>: distribution's default (10 MiB) and minimum (5 MiB).</summary>
        public static readonly SizeParameter ChunkSize = new("chunksize", "Multipart part size.") { Default = 10L << 20, Min = MinChunkSize, Max = MaxChunkSize };

        /// <summary><c>rootdirectory</c></summary>
        public static readonly StringParameter RootDirectory = new("rootdirectory", "Key prefix everything is stored under.") { Default = "" };

        /// <summary><c>signatureversion</c> (ours)</summary>
        public static readonly EnumParameter<OssSignatureVersion> SignatureVersion = new("signatureversion", "Request signing: v4 (OSS4-HMAC-SHA256) or v1.");

        /// <summary><c>securitytoken</c> (ours)</summary>
        public static readonly StringParameter SecurityToken = new("securitytoken", "STS security token for temporary credentials.") { Secret = true };

        /// <summary><c>testloopback</c> (ours, test-only)</summary>
        public static readonly BooleanParameter TestLoopback = new("testloopback", "Test-only: connect every request to 127.0.0.1 at the endpoint's port (for a local stand-in).");
    }
}
