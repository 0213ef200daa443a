namespace Registry.Storage.Drivers.S3;

/// <summary>Registers the s3 driver as <c>s3</c> and, as distribution does, <c>s3aws</c>.</summary>
[StorageDriver(S3DriverFactory.DriverName, Aliases = ["s3aws"])]
public sealed class S3DriverFactory : IStorageDriverFactory
{
    /// <summary>The registered name.</summary>
    public const string DriverName = "s3";

    /// <inheritdoc />
    public string Name => DriverName;

    /// <inheritdoc />
    public IReadOnlyList<string> Aliases { get; } = ["s3aws"];

    /// <inheritdoc />
    public IReadOnlyList<DriverParameterInfo> Parameters { get; } =
    [
        new("accesskey", "string", "AWS access key; with secretkey unset the SDK's default credential chain is used") { Secret = true },
        new("secretkey", "string", "AWS secret key") { Secret = true },
        new("sessiontoken", "string", "session token of temporary credentials") { Secret = true },
        new("region", "string", "AWS region; required unless regionendpoint is set") { Default = "us-east-1 with regionendpoint" },
        new("regionendpoint", "string", "endpoint of an S3-compatible store, e.g. http://127.0.0.1:7480"),
        new("forcepathstyle", "bool", "path-style addressing (endpoint/bucket/key)") { Default = "false" },
        new("bucket", "string", "the bucket") { Required = true },
        new("encrypt", "bool", "server-side encryption (SSE-S3, or SSE-KMS with keyid)") { Default = "false" },
        new("keyid", "string", "KMS key id for SSE-KMS"),
        new("secure", "bool", "HTTPS when the endpoint names no scheme") { Default = "true" },
        new("skipverify", "bool", "skip TLS certificate verification") { Default = "false" },
        new("v4auth", "bool", "Signature Version 4 (the only signing AWSSDK offers)") { Default = "true" },
        new("chunksize", "size", "multipart part size of writers, 5MB to 5GB") { Default = "10MB" },
        new("multipartcopychunksize", "size", "part size of multipart copies, 5MB to 5GB") { Default = "32MB" },
        new("multipartcopymaxconcurrency", "int", "parts copied at once") { Default = "100" },
        new("multipartcopythresholdsize", "size", "objects above this size move with a multipart copy, 0 to 5GB; when unset, copycutoff applies") { Default = "copycutoff" },
        new("copycutoff", "size", "objects up to this size move with one CopyObject (rclone's copy_cutoff), 0 to 5GB; distribution's multipartcopythresholdsize wins when set") { Default = "4.656GiB" },
        new("rootdirectory", "string", "key prefix everything is stored under") { Default = "" },
        new("storageclass", "enum", "storage class of new objects, or NONE") { Default = "STANDARD" },
        new("useragent", "string", "application id added to the User-Agent"),
        new("objectacl", "enum", "canned ACL of new objects") { Default = "private" },
        new("usedualstack", "bool", "dual-stack endpoints") { Default = "false" },
        new("accelerate", "bool", "S3 Transfer Acceleration") { Default = "false" },
        new("usefipsendpoint", "bool", "FIPS endpoints") { Default = "false" },
        new("loglevel", "enum", "SDK logging: off disables it, any other level enables the SDK's own logging") { Default = "off" },
        new("redirectendpoint", "string", "endpoint presigned redirect URLs point at"),
        new("uploadconcurrency", "int", "parts a writer uploads at once (not in distribution)") { Default = "4" },
    ];

    /// <inheritdoc />
    public ValueTask<IStorageDriver> CreateAsync(DriverParameters parameters, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<IStorageDriver>(new S3Driver(S3Parameters.Parse(parameters)));
}
