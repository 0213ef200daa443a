using System.Globalization;

namespace Registry.Storage.Drivers.Swift;

/// <summary>Registers the swift driver (distribution's <c>swift</c>) with the host.</summary>
[StorageDriver(SwiftErrors.DriverName)]
public sealed class SwiftDriverFactory : IStorageDriverFactory
{
    /// <inheritdoc />
    public string Name => SwiftErrors.DriverName;

    /// <inheritdoc />
    public IReadOnlyList<DriverParameterInfo> Parameters { get; } =
    [
        new("username", "string", "The user name (tempauth: account:user).") { Required = true },
        new("password", "string", "The password or API key.") { Required = true, Secret = true },
        new("authurl", "string", "The authentication URL: tempauth's …/auth/v1.0 or Keystone's …/v2.0 or …/v3.") { Required = true },
        new("container", "string", "The container holding everything; created when missing.") { Required = true },
        new("tenant", "string", "Keystone project (tenant) name."),
        new("tenantid", "string", "Keystone project (tenant) id."),
        new("domain", "string", "Keystone v3 user domain name."),
        new("domainid", "string", "Keystone v3 user domain id."),
        new("tenantdomain", "string", "Keystone v3 project domain name."),
        new("tenantdomainid", "string", "Keystone v3 project domain id."),
        new("trustid", "string", "Keystone v3 trust id."),
        new("region", "string", "The catalog region of the object-store endpoint; the first when unset."),
        new("authversion", "int", "1, 2 or 3; detected from authurl when unset.") { Default = "detected" },
        new("endpointtype", "enum", "The catalog interface: public, internal or admin.") { Default = "public" },
        new("prefix", "string", "An object-name prefix for everything the driver stores (distribution's prefix).") { Default = "" },
        new("rootdirectory", "string", "A prefix before prefix, so several registries (or test runs) share a container.") { Default = "" },
        new("insecureskipverify", "bool", "Skip TLS certificate verification.") { Default = "false" },
        new("chunksize", "size", "The segment size of large objects (at least 1 MiB): what a writer buffers.") { Default = "20MB" },
        new("secretkey", "string", "The TempURL key; read from or set on the container/account when unset.") { Secret = true },
        new("accesskey", "string", "HP Cloud access key for TempURL signatures (tenantid:accesskey:signature).") { Secret = true },
        new("tempurlcontainerkey", "bool", "Keep the TempURL key on the container (only used when /info is unavailable).") { Default = "false" },
        new("tempurlmethods", "list", "Methods TempURLs may be signed for (only used when /info is unavailable).") { Default = "" },
        new("uploadconcurrency", "int", "Segments a writer uploads at once; memory per writer is (uploadconcurrency + 1) × chunksize.") { Default = SwiftParameters.DefaultUploadConcurrency.ToString(CultureInfo.InvariantCulture) },
    ];

    /// <inheritdoc />
    public async ValueTask<IStorageDriver> CreateAsync(DriverParameters parameters, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var parsed = SwiftParameters.Parse(parameters);
        return await SwiftDriver.CreateAsync(parsed, handler: null, parameters.TimeProvider, cancellationToken).ConfigureAwait(false);
    }
}
