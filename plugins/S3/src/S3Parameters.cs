using System.Text;
using Registry.Storage.Kit;

namespace Registry.Storage.Drivers.S3;

/// <summary>
/// The s3 driver's configuration: distribution's <c>s3-aws</c> parameters with its names and
/// defaults, parsed once from <see cref="DriverParameters"/> so the driver never sees the raw map.
/// </summary>
public sealed record S3Parameters
{
    /// <summary>S3's smallest part (every part but the last must be at least this big).</summary>
    public const long MinChunkSize = 5L << 20;

    /// <summary>S3's largest part and largest single copy.</summary>
    public const long MaxChunkSize = 5L << 30;

    /// <summary>The signing region when <c>regionendpoint</c> is set and <c>region</c> is not.</summary>
    public const string EndpointRegion = "us-east-1";

    /// <summary>
    /// The default single-CopyObject limit, as rclone's <c>copy_cutoff</c> (4.656 GiB, under CopyObject's
    /// 5 GiB limit): one CopyObject is one request the server may serve by reference (RGW does), where
    /// distribution's 32 MiB threshold sent 32 UploadPartCopy requests for 1 GiB (measured 0.16× rclone).
    /// </summary>
    public const long DefaultCopyCutoff = 4_999_610_368;

    /// <summary>Every parameter the driver understands, each declared once (distribution's names and defaults).</summary>
    public static DriverParameterTable Table { get; } = new(
        Declared.AccessKey, Declared.SecretKey, Declared.SessionToken, Declared.Region, Declared.RegionEndpoint, Declared.ForcePathStyle,
        Declared.Bucket, Declared.Encrypt, Declared.KeyId, Declared.Secure, Declared.SkipVerify, Declared.V4Auth, Declared.ChunkSize,
        Declared.MultipartCopyChunkSize, Declared.MultipartCopyMaxConcurrency, Declared.MultipartCopyThresholdSize, Declared.CopyCutoff,
        Declared.RootDirectory, Declared.StorageClass, Declared.UserAgent, Declared.ObjectAcl, Declared.UseDualStack, Declared.Accelerate,
        Declared.UseFipsEndpoint, Declared.LogLevel, Declared.RedirectEndpoint, Declared.UploadConcurrency);

    /// <summary>Access key; with <see cref="SecretKey"/> unset the SDK's default credential chain is used.</summary>
    public string? AccessKey { get; init; }

    /// <summary>Secret key.</summary>
    public string? SecretKey { get; init; }

    /// <summary>Session token for temporary credentials.</summary>
    public string? SessionToken { get; init; }

    /// <summary>The region (required unless <see cref="RegionEndpoint"/> is set; then it only names the signing region).</summary>
    public string Region { get; init; } = EndpointRegion;

    /// <summary>An S3-compatible endpoint such as <c>http://127.0.0.1:7480</c>; empty for AWS.</summary>
    public string? RegionEndpoint { get; init; }

    /// <summary>Path-style addressing (<c>endpoint/bucket/key</c>) instead of virtual-host style.</summary>
    public bool ForcePathStyle { get; init; }

    /// <summary>The bucket.</summary>
    public required string Bucket { get; init; }

    /// <summary>Server-side encryption (SSE-S3, or SSE-KMS with <see cref="KeyId"/>).</summary>
    public bool Encrypt { get; init; }

    /// <summary>KMS key for SSE-KMS.</summary>
    public string? KeyId { get; init; }

    /// <summary>HTTPS (when the endpoint names no scheme).</summary>
    public bool Secure { get; init; } = Declared.Secure.Default;

    /// <summary>Skip TLS certificate verification.</summary>
    public bool SkipVerify { get; init; }

    /// <summary>Part size of a writer's multipart upload; every part but the last has exactly this size.</summary>
    public long ChunkSize { get; init; } = Declared.ChunkSize.Default;

    /// <summary>Part size of a multipart copy.</summary>
    public long MultipartCopyChunkSize { get; init; } = Declared.MultipartCopyChunkSize.Default;

    /// <summary>Parts copied at once in a multipart copy.</summary>
    public int MultipartCopyMaxConcurrency { get; init; } = Declared.MultipartCopyMaxConcurrency.Default;

    /// <summary>
    /// Objects larger than this are moved with a multipart copy; smaller ones with one CopyObject.
    /// Default: <see cref="DefaultCopyCutoff"/>, unless distribution's <c>multipartcopythresholdsize</c> is set.
    /// </summary>
    public long MultipartCopyThresholdSize { get; init; } = DefaultCopyCutoff;

    /// <summary>Key prefix everything is stored under (distribution's layout: prefix + path without its leading slash).</summary>
    public string RootDirectory { get; init; } = "";

    /// <summary>Storage class of new objects, or <c>NONE</c>.</summary>
    public string StorageClass { get; init; } = Declared.StorageClass.Default;

    /// <summary>Extra User-Agent text.</summary>
    public string? UserAgent { get; init; }

    /// <summary>Canned ACL of new objects.</summary>
    public string ObjectAcl { get; init; } = Declared.ObjectAcl.Default;

    /// <summary>Dual-stack (IPv6) endpoints.</summary>
    public bool UseDualStack { get; init; }

    /// <summary>S3 Transfer Acceleration endpoints.</summary>
    public bool Accelerate { get; init; }

    /// <summary>FIPS endpoints.</summary>
    public bool UseFipsEndpoint { get; init; }

    /// <summary>Distribution's SDK log level (accepted for compatibility; see README).</summary>
    public string LogLevel { get; init; } = Declared.LogLevel.Default;

    /// <summary>Endpoint presigned redirect URLs point at (for example a public name of a private endpoint); empty uses the regular one.</summary>
    public string? RedirectEndpoint { get; init; }

    /// <summary>Parts a writer uploads at once (not in distribution, which uploads one at a time). Memory is chunksize × (this + 1).</summary>
    public int UploadConcurrency { get; init; } = Declared.UploadConcurrency.Default;

    /// <summary>The clock presigned URLs expire by.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Page size of the part and upload listings a resume reads (S3's maximum is 1000; tests lower it to force paging).</summary>
    internal int ListPageSize { get; init; } = 1000;

    /// <summary>Whether sockets ask for immediate ACKs (see <see cref="S3HttpClientFactory"/>); off only to measure the difference.</summary>
    internal bool TcpQuickAck { get; init; } = true;

    /// <summary>Page size of object listings (S3's maximum is 1000; tests lower it to force paging).</summary>
    internal int ListObjectsPageSize { get; init; } = 1000;

    /// <summary>Parses and validates <paramref name="parameters"/>; unknown names are rejected.</summary>
    /// <exception cref="InvalidParameterException">A value is missing, malformed or out of range.</exception>
    public static S3Parameters Parse(DriverParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Table.RejectUnknown(parameters);

        var endpoint = Declared.RegionEndpoint.Read(parameters);
        var region = Declared.Region.Read(parameters);
        if (endpoint is null)
        {
            // Without a custom endpoint the region picks AWS's endpoint, so it must be a real one.
            region = Declared.Region.ReadRequired(parameters, "an AWS region such as us-east-1 (or set regionendpoint)");
            if (!RegionEndpointIsKnown(region))
            {
                throw parameters.Invalid(Declared.Region.Name, region, "a known AWS region such as us-east-1 (or set regionendpoint for another store)");
            }
        }

        if (!Declared.V4Auth.Read(parameters))
        {
            throw parameters.Invalid(Declared.V4Auth.Name, false, "true: AWSSDK signs only with Signature Version 4");
        }

        var accessKey = Declared.AccessKey.Read(parameters);
        var secretKey = Declared.SecretKey.Read(parameters);
        if ((accessKey is null) != (secretKey is null))
        {
            var missing = accessKey is null ? Declared.AccessKey : Declared.SecretKey;
            throw parameters.Missing(missing.Name, "both accesskey and secretkey, or neither (to use the SDK's default credential chain)");
        }

        return new S3Parameters
        {
            AccessKey = accessKey,
            SecretKey = secretKey,
            SessionToken = Declared.SessionToken.Read(parameters),
            Region = region ?? EndpointRegion,
            RegionEndpoint = endpoint,
            ForcePathStyle = Declared.ForcePathStyle.Read(parameters),
            Bucket = Declared.Bucket.ReadRequired(parameters),
            Encrypt = Declared.Encrypt.Read(parameters),
            KeyId = Declared.KeyId.Read(parameters),
            Secure = Declared.Secure.Read(parameters),
            SkipVerify = Declared.SkipVerify.Read(parameters),
            ChunkSize = Declared.ChunkSize.Read(parameters),
            MultipartCopyChunkSize = Declared.MultipartCopyChunkSize.Read(parameters),
            MultipartCopyMaxConcurrency = Declared.MultipartCopyMaxConcurrency.Read(parameters),
            // distribution's threshold wins when set; otherwise the copy cutoff (itself defaulted) applies.
            MultipartCopyThresholdSize = Declared.MultipartCopyThresholdSize.Read(parameters, Declared.CopyCutoff.Read(parameters)),
            RootDirectory = Declared.RootDirectory.Read(parameters)!,
            StorageClass = Declared.StorageClass.Read(parameters),
            UserAgent = Declared.UserAgent.Read(parameters),
            ObjectAcl = Declared.ObjectAcl.Read(parameters),
            UseDualStack = Declared.UseDualStack.Read(parameters),
            Accelerate = Declared.Accelerate.Read(parameters),
            UseFipsEndpoint = Declared.UseFipsEndpoint.Read(parameters),
            // YAML 1.1 reads `off` as false, as distribution notes.
            LogLevel = parameters.TryGetValue(Declared.LogLevel.Name, out var raw) && raw is false ? Declared.LogLevel.Default : Declared.LogLevel.Read(parameters),
            RedirectEndpoint = Declared.RedirectEndpoint.Read(parameters),
            UploadConcurrency = Declared.UploadConcurrency.Read(parameters),
            TimeProvider = parameters.TimeProvider,
        };
    }

    /// <summary>The object key of <paramref name="path"/>: root directory + path without its leading slash (distribution's <c>s3Path</c>).</summary>
    internal string KeyOf(string path) => (RootDirectory.TrimEnd('/') + path).TrimStart('/');

    /// <summary>The key prefix below which a directory's descendants live (empty for the bucket root).</summary>
    internal string DirectoryPrefix(string path) => path == StoragePath.Root ? KeyOf("/") : KeyOf(path) + "/";

    /// <summary>The storage path of <paramref name="key"/>, or <see langword="null"/> when the key is not below the root or no valid path.</summary>
    internal string? PathOf(string key)
    {
        var root = KeyOf("/");
        if (!key.StartsWith(root, StringComparison.Ordinal))
        {
            return null;
        }

        var path = "/" + key[root.Length..];
        return StoragePath.IsValid(path) ? path : null;
    }

    private static bool RegionEndpointIsKnown(string region) =>
        Amazon.RegionEndpoint.EnumerableAllRegions.Any(r => string.Equals(r.SystemName, region, StringComparison.Ordinal));

    // Records print every property: the table masks the credentials it declares secret.
    private bool PrintMembers(StringBuilder builder) => Table.PrintMembers(builder, this);

    /// <summary>The parameters' declarations: name, default, range, secrecy and description of each.</summary>
    public static class Declared
    {
        /// <summary><c>accesskey</c></summary>
        public static readonly StringParameter AccessKey = new("accesskey", "AWS access key; with secretkey unset the SDK's default credential chain is used") { Secret = true };

        /// <summary><c>secretkey</c></summary>
        public static readonly StringParameter SecretKey = new("secretkey", "AWS secret key") { Secret = true };

        /// <summary><c>sessiontoken</c></summary>
        public static readonly StringParameter SessionToken = new("sessiontoken", "session token of temporary credentials") { Secret = true };

        /// <summary><c>region</c>: required unless <c>regionendpoint</c> is set (a rule Parse applies).</summary>
        public static readonly StringParameter Region = new("region", "AWS region; required unless regionendpoint is set") { DefaultDescription = EndpointRegion + " with regionendpoint" };

        /// <summary><c>regionendpoint</c></summary>
        public static readonly StringParameter RegionEndpoint = new("regionendpoint", "endpoint of an S3-compatible store, e.g. http://127.0.0.1:7480");

        /// <summary><c>forcepathstyle</c></summary>
        public static readonly BooleanParameter ForcePathStyle = new("forcepathstyle", "path-style addressing (endpoint/bucket/key)");

        /// <summary><c>bucket</c></summary>
        public static readonly StringParameter Bucket = new("bucket", "the bucket") { Required = true, Expected = "the bucket name" };

        /// <summary><c>encrypt</c></summary>
        public static readonly BooleanParameter Encrypt = new("encrypt", "server-side encryption (SSE-S3, or SSE-KMS with keyid)");

        /// <summary><c>keyid</c></summary>
        public static readonly StringParameter KeyId = new("keyid", "KMS key id for SSE-KMS");

        /// <summary><c>secure</c></summary>
        public static readonly BooleanParameter Secure = new("secure", "HTTPS when the endpoint names no scheme") { Default = true };

        /// <summary><c>skipverify</c></summary>
        public static readonly BooleanParameter SkipVerify = new("skipverify", "skip TLS certificate verification");

        /// <summary><c>v4auth</c>: only <c>true</c> is accepted (a rule Parse applies).</summary>
        public static readonly BooleanParameter V4Auth = new("v4auth", "Signature Version 4 (the only signing AWSSDK offers)") { Default = true };

        /// <summary><c>chunksize</c>: every part but the last has exactly this size.</summary>
        public static readonly SizeParameter ChunkSize = new("chunksize", "multipart part size of writers") { Default = 2 * MinChunkSize, Min = MinChunkSize, Max = MaxChunkSize };

        /// <summary><c>multipartcopychunksize</c></summary>
        public static readonly SizeParameter MultipartCopyChunkSize = new("multipartcopychunksize", "part size of multipart copies") { Default = 32L << 20, Min = MinChunkSize, Max = MaxChunkSize };

        /// <summary><c>multipartcopymaxconcurrency</c></summary>
        public static readonly Int32Parameter MultipartCopyMaxConcurrency = new("multipartcopymaxconcurrency", "parts copied at once") { Default = 100, Min = 1, Max = 10_000 };

        /// <summary><c>multipartcopythresholdsize</c>: when unset, <c>copycutoff</c>'s value applies (a rule Parse applies).</summary>
        public static readonly SizeParameter MultipartCopyThresholdSize = new("multipartcopythresholdsize", "objects above this size move with a multipart copy; when unset, copycutoff applies")
        {
            Default = DefaultCopyCutoff,
            Max = MaxChunkSize,
            DefaultDescription = "copycutoff",
        };

        /// <summary><c>copycutoff</c> (rclone's <c>copy_cutoff</c>; not in distribution).</summary>
        public static readonly SizeParameter CopyCutoff = new("copycutoff", "objects up to this size move with one CopyObject (rclone's copy_cutoff); distribution's multipartcopythresholdsize wins when set")
        {
            Default = DefaultCopyCutoff,
            Max = MaxChunkSize,
        };

        /// <summary><c>rootdirectory</c></summary>
        public static readonly StringParameter RootDirectory = new("rootdirectory", "key prefix everything is stored under") { Default = "" };

        /// <summary><c>storageclass</c>: distribution's classes; <c>NONE</c> sends no class (for stores that reject the header).</summary>
        public static readonly ChoiceParameter StorageClass = new("storageclass", "storage class of new objects, or NONE",
            ["NONE", "STANDARD", "REDUCED_REDUNDANCY", "STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING", "OUTPOSTS", "GLACIER_IR", "EXPRESS_ONEZONE"])
        {
            Default = "STANDARD",
        };

        /// <summary><c>useragent</c></summary>
        public static readonly StringParameter UserAgent = new("useragent", "application id added to the User-Agent");

        /// <summary><c>objectacl</c>: the canned ACLs distribution accepts.</summary>
        public static readonly ChoiceParameter ObjectAcl = new("objectacl", "canned ACL of new objects",
            ["private", "public-read", "public-read-write", "authenticated-read", "aws-exec-read", "bucket-owner-read", "bucket-owner-full-control"]);

        /// <summary><c>usedualstack</c></summary>
        public static readonly BooleanParameter UseDualStack = new("usedualstack", "dual-stack endpoints");

        /// <summary><c>accelerate</c></summary>
        public static readonly BooleanParameter Accelerate = new("accelerate", "S3 Transfer Acceleration");

        /// <summary><c>usefipsendpoint</c></summary>
        public static readonly BooleanParameter UseFipsEndpoint = new("usefipsendpoint", "FIPS endpoints");

        /// <summary><c>loglevel</c>: the SDK log levels distribution names (YAML's <c>off</c>, read as false, means off).</summary>
        public static readonly ChoiceParameter LogLevel = new("loglevel", "SDK logging: off disables it, any other level enables the SDK's own logging",
            ["off", "debug", "debugwithsigning", "debugwithhttpbody", "debugwithrequestretries", "debugwithrequesterrors", "debugwitheventstreambody"]);

        /// <summary><c>redirectendpoint</c></summary>
        public static readonly StringParameter RedirectEndpoint = new("redirectendpoint", "endpoint presigned redirect URLs point at");

        /// <summary><c>uploadconcurrency</c> (not in distribution, which uploads one part at a time).</summary>
        public static readonly Int32Parameter UploadConcurrency = new("uploadconcurrency", "parts a writer uploads at once (not in distribution)") { Default = 4, Min = 1, Max = 64 };
    }
}
