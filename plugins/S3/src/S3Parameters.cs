using System.Text;

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

    /// <summary>Storage classes distribution accepts; <c>NONE</c> sends no class (for stores that reject the header).</summary>
    public static readonly IReadOnlyList<string> StorageClasses =
        ["NONE", "STANDARD", "REDUCED_REDUNDANCY", "STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING", "OUTPOSTS", "GLACIER_IR", "EXPRESS_ONEZONE"];

    /// <summary>Canned object ACLs distribution accepts.</summary>
    public static readonly IReadOnlyList<string> ObjectAcls =
        ["private", "public-read", "public-read-write", "authenticated-read", "aws-exec-read", "bucket-owner-read", "bucket-owner-full-control"];

    /// <summary>The SDK log levels distribution's <c>loglevel</c> names.</summary>
    public static readonly IReadOnlyList<string> LogLevels =
        ["off", "debug", "debugwithsigning", "debugwithhttpbody", "debugwithrequestretries", "debugwithrequesterrors", "debugwitheventstreambody"];

    /// <summary>Every parameter name the driver understands.</summary>
    public static readonly IReadOnlyList<string> Names =
    [
        "accesskey", "secretkey", "sessiontoken", "region", "regionendpoint", "forcepathstyle", "bucket", "encrypt", "keyid",
        "secure", "skipverify", "v4auth", "chunksize", "multipartcopychunksize", "multipartcopymaxconcurrency",
        "multipartcopythresholdsize", "copycutoff", "rootdirectory", "storageclass", "useragent", "objectacl", "usedualstack",
        "accelerate", "usefipsendpoint", "loglevel", "redirectendpoint", "uploadconcurrency",
    ];

    /// <summary>Access key; with <see cref="SecretKey"/> unset the SDK's default credential chain is used.</summary>
    public string? AccessKey { get; init; }

    /// <summary>Secret key.</summary>
    public string? SecretKey { get; init; }

    /// <summary>Session token for temporary credentials.</summary>
    public string? SessionToken { get; init; }

    /// <summary>The region (required unless <see cref="RegionEndpoint"/> is set; then it only names the signing region).</summary>
    public string Region { get; init; } = "us-east-1";

    /// <summary>An S3-compatible endpoint such as <c>http://127.0.0.1:7480</c>; empty for AWS.</summary>
    public string? RegionEndpoint { get; init; }

    /// <summary>Path-style addressing (<c>endpoint/bucket/key</c>) instead of virtual-host style.</summary>
    public bool ForcePathStyle { get; init; }

    /// <summary>The bucket.</summary>
    public string Bucket { get; init; } = "";

    /// <summary>Server-side encryption (SSE-S3, or SSE-KMS with <see cref="KeyId"/>).</summary>
    public bool Encrypt { get; init; }

    /// <summary>KMS key for SSE-KMS.</summary>
    public string? KeyId { get; init; }

    /// <summary>HTTPS (when the endpoint names no scheme).</summary>
    public bool Secure { get; init; } = true;

    /// <summary>Skip TLS certificate verification.</summary>
    public bool SkipVerify { get; init; }

    /// <summary>Part size of a writer's multipart upload; every part but the last has exactly this size.</summary>
    public long ChunkSize { get; init; } = 2 * MinChunkSize;

    /// <summary>Part size of a multipart copy.</summary>
    public long MultipartCopyChunkSize { get; init; } = 32L << 20;

    /// <summary>Parts copied at once in a multipart copy.</summary>
    public int MultipartCopyMaxConcurrency { get; init; } = 100;

    /// <summary>
    /// Objects larger than this are moved with a multipart copy; smaller ones with one CopyObject.
    /// Default: <see cref="DefaultCopyCutoff"/>, unless distribution's <c>multipartcopythresholdsize</c> is set.
    /// </summary>
    public long MultipartCopyThresholdSize { get; init; } = DefaultCopyCutoff;

    /// <summary>
    /// The default single-CopyObject limit, as rclone's <c>copy_cutoff</c> (4.656 GiB, under CopyObject's
    /// 5 GiB limit): one CopyObject is one request the server may serve by reference (RGW does), where
    /// distribution's 32 MiB threshold sent 32 UploadPartCopy requests for 1 GiB (measured 0.16× rclone).
    /// </summary>
    public const long DefaultCopyCutoff = 4_999_610_368;

    /// <summary>Key prefix everything is stored under (distribution's layout: prefix + path without its leading slash).</summary>
    public string RootDirectory { get; init; } = "";

    /// <summary>Storage class of new objects, or <c>NONE</c>.</summary>
    public string StorageClass { get; init; } = "STANDARD";

    /// <summary>Extra User-Agent text.</summary>
    public string? UserAgent { get; init; }

    /// <summary>Canned ACL of new objects.</summary>
    public string ObjectAcl { get; init; } = "private";

    /// <summary>Dual-stack (IPv6) endpoints.</summary>
    public bool UseDualStack { get; init; }

    /// <summary>S3 Transfer Acceleration endpoints.</summary>
    public bool Accelerate { get; init; }

    /// <summary>FIPS endpoints.</summary>
    public bool UseFipsEndpoint { get; init; }

    /// <summary>Distribution's SDK log level (accepted for compatibility; see README).</summary>
    public string LogLevel { get; init; } = "off";

    /// <summary>Endpoint presigned redirect URLs point at (for example a public name of a private endpoint); empty uses the regular one.</summary>
    public string? RedirectEndpoint { get; init; }

    /// <summary>Parts a writer uploads at once (not in distribution, which uploads one at a time). Memory is chunksize × (this + 1).</summary>
    public int UploadConcurrency { get; init; } = 4;

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
        parameters.RejectUnknown(Names);

        var endpoint = parameters.GetString("regionendpoint");
        var region = parameters.GetString("region");
        if (endpoint is null)
        {
            // Without a custom endpoint the region picks AWS's endpoint, so it must be a real one.
            if (region is null)
            {
                throw parameters.Missing("region", "an AWS region such as us-east-1 (or set regionendpoint)");
            }

            if (!RegionEndpointIsKnown(region))
            {
                throw parameters.Invalid("region", region, "a known AWS region such as us-east-1 (or set regionendpoint for another store)");
            }
        }

        if (!parameters.GetBoolean("v4auth", true))
        {
            throw parameters.Invalid("v4auth", false, "true: AWSSDK signs only with Signature Version 4");
        }

        var storageClass = parameters.GetString("storageclass")?.ToUpperInvariant() ?? "STANDARD";
        if (!StorageClasses.Contains(storageClass))
        {
            throw parameters.Invalid("storageclass", parameters.GetString("storageclass"), "one of " + string.Join(", ", StorageClasses));
        }

        var accessKey = parameters.GetString("accesskey");
        var secretKey = parameters.GetString("secretkey");
        if ((accessKey is null) != (secretKey is null))
        {
            var missing = accessKey is null ? "accesskey" : "secretkey";
            throw parameters.Missing(missing, "both accesskey and secretkey, or neither (to use the SDK's default credential chain)");
        }

        return new S3Parameters
        {
            AccessKey = accessKey,
            SecretKey = secretKey,
            SessionToken = parameters.GetString("sessiontoken"),
            Region = region ?? "us-east-1",
            RegionEndpoint = endpoint,
            ForcePathStyle = parameters.GetBoolean("forcepathstyle", false),
            Bucket = parameters.GetRequiredString("bucket", "the bucket name"),
            Encrypt = parameters.GetBoolean("encrypt", false),
            KeyId = parameters.GetString("keyid"),
            Secure = parameters.GetBoolean("secure", true),
            SkipVerify = parameters.GetBoolean("skipverify", false),
            ChunkSize = parameters.GetByteSize("chunksize", 2 * MinChunkSize, MinChunkSize, MaxChunkSize),
            MultipartCopyChunkSize = parameters.GetByteSize("multipartcopychunksize", 32L << 20, MinChunkSize, MaxChunkSize),
            MultipartCopyMaxConcurrency = parameters.GetInt32("multipartcopymaxconcurrency", 100, 1, 10_000),
            MultipartCopyThresholdSize = parameters.GetByteSize("multipartcopythresholdsize", parameters.GetByteSize("copycutoff", DefaultCopyCutoff, 0, MaxChunkSize), 0, MaxChunkSize),
            RootDirectory = parameters.GetString("rootdirectory") ?? "",
            StorageClass = storageClass,
            UserAgent = parameters.GetString("useragent"),
            ObjectAcl = parameters.GetChoice("objectacl", "private", [.. ObjectAcls]),
            UseDualStack = parameters.GetBoolean("usedualstack", false),
            Accelerate = parameters.GetBoolean("accelerate", false),
            UseFipsEndpoint = parameters.GetBoolean("usefipsendpoint", false),
            // YAML 1.1 reads `off` as false, as distribution notes.
            LogLevel = parameters.TryGetValue("loglevel", out var raw) && raw is false ? "off" : parameters.GetChoice("loglevel", "off", [.. LogLevels]),
            RedirectEndpoint = parameters.GetString("redirectendpoint"),
            UploadConcurrency = parameters.GetInt32("uploadconcurrency", 4, 1, 64),
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

    // Records print every property by default: keep credentials out of logs and messages.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Bucket = ").Append(Bucket)
            .Append(", Region = ").Append(Region)
            .Append(", RegionEndpoint = ").Append(RegionEndpoint)
            .Append(", RootDirectory = ").Append(RootDirectory)
            .Append(", AccessKey = ").Append(AccessKey is null ? "(default chain)" : "******")
            .Append(", SecretKey = ").Append(SecretKey is null ? "(default chain)" : "******")
            .Append(", SessionToken = ").Append(SessionToken is null ? "(none)" : "******")
            .Append(", ChunkSize = ").Append(ChunkSize)
            .Append(", UploadConcurrency = ").Append(UploadConcurrency)
            .Append(", MultipartCopyThresholdSize = ").Append(MultipartCopyThresholdSize)
            .Append(", MultipartCopyChunkSize = ").Append(MultipartCopyChunkSize)
            .Append(", MultipartCopyMaxConcurrency = ").Append(MultipartCopyMaxConcurrency)
            .Append(", StorageClass = ").Append(StorageClass)
            .Append(", ObjectAcl = ").Append(ObjectAcl);
        return true;
    }
}
