namespace Registry.Storage.Drivers.Oss;

/// <summary>Creates oss drivers (Alibaba Cloud OSS) from distribution's oss parameters.</summary>
[StorageDriver(OssDriver.DriverName)]
public sealed class OssDriverFactory : IStorageDriverFactory
{
    /// <inheritdoc />
    public string Name => OssDriver.DriverName;

    /// <inheritdoc />
    public IReadOnlyList<DriverParameterInfo> Parameters { get; } =
    [
        new("accesskeyid", "string", "The AccessKey ID requests are signed with.") { Required = true },
        new("accesskeysecret", "string", "The AccessKey secret requests are signed with.") { Required = true, Secret = true },
        new("region", "string", "The OSS region, e.g. oss-cn-hangzhou; V4 signatures use it without the oss- prefix.") { Required = true },
        new("bucket", "string", "The bucket, addressed virtual-hosted as <bucket>.<endpoint>.") { Required = true },
        new("endpoint", "string", "The endpoint host (optionally with scheme and port); default <region>[-internal].aliyuncs.com."),
        new("internal", "bool", "Use the region's internal (VPC) endpoint when no endpoint is given.") { Default = "false" },
        new("encrypt", "bool", "Server-side encryption (AES256) on every write.") { Default = "false" },
        new("secure", "bool", "HTTPS (true) or HTTP for an endpoint given without a scheme.") { Default = "true" },
        new("chunksize", "size", "Multipart part size, at least 5 MiB.") { Default = "10MiB" },
        new("rootdirectory", "string", "Key prefix everything is stored under.") { Default = "" },
        new("signatureversion", "enum", "Request signing: v4 (OSS4-HMAC-SHA256) or v1.") { Default = "v4" },
        new("securitytoken", "string", "STS security token for temporary credentials.") { Secret = true },
        new("testloopback", "bool", "Test-only: connect every request to 127.0.0.1 at the endpoint's port (for a local stand-in).") { Default = "false" },
    ];

    /// <inheritdoc />
    public ValueTask<IStorageDriver> CreateAsync(DriverParameters parameters, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        IStorageDriver driver = new OssDriver(OssParameters.Parse(parameters), parameters.TimeProvider);
        return ValueTask.FromResult(driver);
    }
}
