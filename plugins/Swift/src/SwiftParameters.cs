using System.Text;

namespace Registry.Storage.Drivers.Swift;

/// <summary>
/// The swift driver's configuration: the parameters and defaults of distribution's last
/// swift driver (v2.8), plus <c>rootdirectory</c>, which every driver of this project takes.
/// Parsed apart from building the driver so it can be table-tested.
/// </summary>
public sealed record SwiftParameters
{
    /// <summary>distribution's default segment size: 20 MiB.</summary>
    public const long DefaultChunkSize = 20L << 20;

    /// <summary>Segments a writer uploads at once unless <c>uploadconcurrency</c> says otherwise.</summary>
    public const int DefaultUploadConcurrency = 4;

    /// <summary>distribution's smallest segment size: 1 MiB.</summary>
    public const long MinChunkSize = 1L << 20;

    /// <summary>The largest segment this driver buffers: 1 GiB (a writer holds up to two in memory).</summary>
    public const long MaxChunkSize = 1L << 30;

    /// <summary>Every parameter name this driver understands.</summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        "username", "password", "authurl", "container", "tenant", "tenantid", "domain", "domainid",
        "tenantdomain", "tenantdomainid", "trustid", "region", "authversion", "endpointtype", "prefix",
        "rootdirectory", "insecureskipverify", "chunksize", "secretkey", "accesskey",
        "tempurlcontainerkey", "tempurlmethods", "uploadconcurrency",
    ];

    /// <summary>The user name (tempauth: <c>account:user</c>).</summary>
    public required string Username { get; init; }

    /// <summary>The password or API key.</summary>
    public required string Password { get; init; }

    /// <summary>The authentication endpoint: tempauth's <c>…/auth/v1.0</c> or Keystone's <c>…/v3</c>.</summary>
    public required Uri AuthUrl { get; init; }

    /// <summary>The container holding everything; created when missing.</summary>
    public required string Container { get; init; }

    /// <summary>Keystone project (tenant) name.</summary>
    public string? Tenant { get; init; }

    /// <summary>Keystone project (tenant) id.</summary>
    public string? TenantId { get; init; }

    /// <summary>Keystone v3 user domain name.</summary>
    public string? Domain { get; init; }

    /// <summary>Keystone v3 user domain id.</summary>
    public string? DomainId { get; init; }

    /// <summary>Keystone v3 project domain name.</summary>
    public string? TenantDomain { get; init; }

    /// <summary>Keystone v3 project domain id.</summary>
    public string? TenantDomainId { get; init; }

    /// <summary>Keystone v3 trust id (a trust-scoped token).</summary>
    public string? TrustId { get; init; }

    /// <summary>The catalog region to pick the object-store endpoint from; the first when unset.</summary>
    public string? Region { get; init; }

    /// <summary>1 (tempauth/swauth), 2 or 3 (Keystone); detected from <see cref="AuthUrl"/> when 0.</summary>
    public int AuthVersion { get; init; }

    /// <summary>The catalog interface: <c>public</c>, <c>internal</c> or <c>admin</c>.</summary>
    public string EndpointType { get; init; } = "public";

    /// <summary>
    /// The object-name prefix everything lives under, without leading or trailing slash:
    /// <c>rootdirectory</c> followed by distribution's <c>prefix</c>. Plain objects are at
    /// <c>{Root}/files{path}</c>, as distribution's swift driver lays them out.
    /// </summary>
    public string Root { get; init; } = "";

    /// <summary>Skip TLS certificate verification (distribution's <c>insecureskipverify</c>).</summary>
    public bool InsecureSkipVerify { get; init; }

    /// <summary>The segment size of large objects: the memory a writer buffers.</summary>
    public long ChunkSize { get; init; } = DefaultChunkSize;

    /// <summary>
    /// Segments a writer uploads at once (this project's addition, as the s3 driver's): memory
    /// per writer is <c>(uploadconcurrency + 1) × chunksize</c>. 4 (as the s3 driver's) is what
    /// it takes to match a single streamed PUT: each segment PUT waits for the object server's
    /// fsync and container update, and overlapping four hides that (docs/benchmarks/swift.md);
    /// 1 keeps distribution's bound of about one segment.
    /// </summary>
    public int UploadConcurrency { get; init; } = DefaultUploadConcurrency;

    /// <summary>The TempURL key; read from (or, when absent, set on) the container or account when unset.</summary>
    public string? SecretKey { get; init; }

    /// <summary>HP Cloud's access key: TempURL signatures become <c>tenantid:accesskey:signature</c>.</summary>
    public string? AccessKey { get; init; }

    /// <summary>Use the container's TempURL key rather than the account's (only when <c>/info</c> cannot say).</summary>
    public bool TempUrlContainerKey { get; init; }

    /// <summary>The methods TempURLs may be signed for (only when <c>/info</c> cannot say).</summary>
    public IReadOnlyList<string> TempUrlMethods { get; init; } = [];

    /// <summary>The Keystone/tempauth version to speak: the configured one, or detected from the URL as distribution's client does.</summary>
    public int EffectiveAuthVersion =>
        AuthVersion != 0 ? AuthVersion
        : AuthUrl.AbsolutePath.Contains("v3", StringComparison.OrdinalIgnoreCase) ? 3
        : AuthUrl.AbsolutePath.Contains("v2", StringComparison.OrdinalIgnoreCase) ? 2
        : 1;

    /// <summary>Reads and validates <paramref name="parameters"/>; unknown names are rejected.</summary>
    /// <exception cref="InvalidParameterException">A parameter is missing or invalid.</exception>
    public static SwiftParameters Parse(DriverParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        parameters.RejectUnknown(Names);

        var authUrlText = parameters.GetRequiredString("authurl", "the Swift or Keystone authentication URL");
        if (!Uri.TryCreate(authUrlText, UriKind.Absolute, out var authUrl) || (authUrl.Scheme != Uri.UriSchemeHttp && authUrl.Scheme != Uri.UriSchemeHttps))
        {
            throw parameters.Invalid("authurl", authUrlText, "an absolute http or https URL");
        }

        var container = parameters.GetRequiredString("container", "the name of the Swift container");
        if (container.Contains('/', StringComparison.Ordinal))
        {
            throw parameters.Invalid("container", container, "a container name without '/'");
        }

        var methods = parameters.GetStringList("tempurlmethods")
            .Select(m => m.ToUpperInvariant())
            .ToArray();
        return new SwiftParameters
        {
            Username = parameters.GetRequiredString("username", "the Swift user name"),
            Password = parameters.GetRequiredString("password", "the Swift password or API key"),
            AuthUrl = authUrl,
            Container = container,
            Tenant = parameters.GetString("tenant"),
            TenantId = parameters.GetString("tenantid"),
            Domain = parameters.GetString("domain"),
            DomainId = parameters.GetString("domainid"),
            TenantDomain = parameters.GetString("tenantdomain"),
            TenantDomainId = parameters.GetString("tenantdomainid"),
            TrustId = parameters.GetString("trustid"),
            Region = parameters.GetString("region"),
            AuthVersion = parameters.GetInt32("authversion", 0, 0, 3),
            EndpointType = parameters.GetChoice("endpointtype", "public", "public", "internal", "admin"),
            Root = JoinRoot(parameters.GetString("rootdirectory"), parameters.GetString("prefix")),
            InsecureSkipVerify = parameters.GetBoolean("insecureskipverify", false),
            ChunkSize = parameters.GetByteSize("chunksize", DefaultChunkSize, MinChunkSize, MaxChunkSize),
            SecretKey = parameters.GetString("secretkey"),
            AccessKey = parameters.GetString("accesskey"),
            TempUrlContainerKey = parameters.GetBoolean("tempurlcontainerkey", false),
            TempUrlMethods = methods,
            UploadConcurrency = parameters.GetInt32("uploadconcurrency", DefaultUploadConcurrency, 1, 64),
        };
    }

    // rootdirectory and distribution's prefix compose (root first), so a conformance run can
    // isolate itself under an existing prefix. Slashes at either end carry no meaning,
    // exactly as distribution trims them from prefix + "/files" + path.
    private static string JoinRoot(string? rootDirectory, string? prefix) =>
        string.Join('/', new[] { rootDirectory, prefix }
            .Select(p => (p ?? "").Trim('/'))
            .Where(p => p.Length > 0));

    // Records print every property; this one holds credentials.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("AuthUrl = ").Append(AuthUrl)
            .Append(", Username = ").Append(Username)
            .Append(", Container = ").Append(Container)
            .Append(", Root = ").Append(Root)
            .Append(", AuthVersion = ").Append(EffectiveAuthVersion)
            .Append(", ChunkSize = ").Append(ChunkSize)
            .Append(", UploadConcurrency = ").Append(UploadConcurrency)
            .Append(", Password = ***, SecretKey = ").Append(SecretKey is null ? "(unset)" : "***");
        return true;
    }
}
