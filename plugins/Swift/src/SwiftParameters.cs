using System.Text;
using Registry.Storage.Kit;

namespace Registry.Storage.Drivers.Swift;

/// <summary>
/// The swift driver's configuration: the parameters and defaults of distribution's last
/// swift driver (v2.8), plus <c>rootdirectory</c>, which every driver of this project takes.
/// Parsed apart from building the driver so it can be table-tested.
/// </summary>
public sealed record SwiftParameters
{
    /// <summary>distribution's smallest segment size: 1 MiB.</summary>
    public const long MinChunkSize = 1L << 20;

    /// <summary>The largest segment this driver buffers: 1 GiB (a writer holds up to two in memory).</summary>
    public const long MaxChunkSize = 1L << 30;

    /// <summary>Every parameter the driver understands, each declared once.</summary>
    public static DriverParameterTable Table { get; } = new(
        Declared.Username, Declared.Password, Declared.AuthUrl, Declared.Container, Declared.Tenant, Declared.TenantId, Declared.Domain,
        Declared.DomainId, Declared.TenantDomain, Declared.TenantDomainId, Declared.TrustId, Declared.Region, Declared.AuthVersion,
        Declared.EndpointType, Declared.Prefix, Declared.RootDirectory, Declared.InsecureSkipVerify, Declared.ChunkSize, Declared.SecretKey,
        Declared.AccessKey, Declared.TempUrlContainerKey, Declared.TempUrlMethods, Declared.UploadConcurrency);

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
    public string EndpointType { get; init; } = Declared.EndpointType.Default;

    /// <summary>
    /// The object-name prefix everything lives under, without leading or trailing slash:
    /// <c>rootdirectory</c> followed by distribution's <c>prefix</c>. Plain objects are at
    /// <c>{Root}/files{path}</c>, as distribution's swift driver lays them out.
    /// </summary>
    public string Root { get; init; } = "";

    /// <summary>Skip TLS certificate verification (distribution's <c>insecureskipverify</c>).</summary>
    public bool InsecureSkipVerify { get; init; }

    /// <summary>The segment size of large objects: the memory a writer buffers.</summary>
    public long ChunkSize { get; init; } = Declared.ChunkSize.Default;

    /// <summary>
    /// Segments a writer uploads at once (this project's addition, as the s3 driver's): memory
    /// per writer is <c>(uploadconcurrency + 1) × chunksize</c>. 4 (as the s3 driver's) is what
    /// it takes to match a single streamed PUT: each segment PUT waits for the object server's
    /// fsync and container update, and overlapping four hides that (docs/benchmarks/swift.md);
    /// 1 keeps distribution's bound of about one segment.
    /// </summary>
    public int UploadConcurrency { get; init; } = Declared.UploadConcurrency.Default;

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
        Table.RejectUnknown(parameters);

        var authUrlText = Declared.AuthUrl.ReadRequired(parameters);
        if (!Uri.TryCreate(authUrlText, UriKind.Absolute, out var authUrl) || (authUrl.Scheme != Uri.UriSchemeHttp && authUrl.Scheme != Uri.UriSchemeHttps))
        {
            throw parameters.Invalid(Declared.AuthUrl.Name, authUrlText, "an absolute http or https URL");
        }

        var container = Declared.Container.ReadRequired(parameters);
        if (container.Contains('/', StringComparison.Ordinal))
        {
            throw parameters.Invalid(Declared.Container.Name, container, "a container name without '/'");
        }

        var methods = Declared.TempUrlMethods.Read(parameters)
            .Select(m => m.ToUpperInvariant())
            .ToArray();
        return new SwiftParameters
        {
            Username = Declared.Username.ReadRequired(parameters),
            Password = Declared.Password.ReadRequired(parameters),
            AuthUrl = authUrl,
            Container = container,
            Tenant = Declared.Tenant.Read(parameters),
            TenantId = Declared.TenantId.Read(parameters),
            Domain = Declared.Domain.Read(parameters),
            DomainId = Declared.DomainId.Read(parameters),
            TenantDomain = Declared.TenantDomain.Read(parameters),
            TenantDomainId = Declared.TenantDomainId.Read(parameters),
            TrustId = Declared.TrustId.Read(parameters),
            Region = Declared.Region.Read(parameters),
            AuthVersion = Declared.AuthVersion.Read(parameters),
            EndpointType = Declared.EndpointType.Read(parameters),
            Root = JoinRoot(Declared.RootDirectory.Read(parameters), Declared.Prefix.Read(parameters)),
            InsecureSkipVerify = Declared.InsecureSkipVerify.Read(parameters),
            ChunkSize = Declared.ChunkSize.Read(parameters),
            SecretKey = Declared.SecretKey.Read(parameters),
            AccessKey = Declared.AccessKey.Read(parameters),
            TempUrlContainerKey = Declared.TempUrlContainerKey.Read(parameters),
            TempUrlMethods = methods,
            UploadConcurrency = Declared.UploadConcurrency.Read(parameters),
        };
    }

    // rootdirectory and distribution's prefix compose (root first), so a conformance run can
    // isolate itself under an existing prefix. Slashes at either end carry no meaning,
    // exactly as distribution trims them from prefix + "/files" + path.
    private static string JoinRoot(string? rootDirectory, string? prefix) =>
        string.Join('/', new[] { rootDirectory, prefix }
            .Select(p => (p ?? "").Trim('/'))
            .Where(p => p.Length > 0));

    // Records print every property: the table masks the credentials it declares secret.
    private bool PrintMembers(StringBuilder builder) => Table.PrintMembers(builder, this);

    /// <summary>The parameters' declarations: name, default, range, secrecy and description of each.</summary>
    public static class Declared
    {
        /// <summary><c>username</c></summary>
        public static readonly StringParameter Username = new("username", "The user name (tempauth: account:user).") { Required = true, Expected = "the Swift user name" };

        /// <summary><c>password</c></summary>
        public static readonly StringParameter Password = new("password", "The password or API key.") { Required = true, Secret = true, Expected = "the Swift password or API key" };

        /// <summary><c>authurl</c></summary>
        public static readonly StringParameter AuthUrl = new("authurl", "The authentication URL: tempauth's …/auth/v1.0 or Keystone's …/v2.0 or …/v3.")
        {
            Required = true,
            Expected = "the Swift or Keystone authentication URL",
        };

        /// <summary><c>container</c></summary>
        public static readonly StringParameter Container = new("container", "The container holding everything; created when missing.") { Required = true, Expected = "the name of the Swift container" };

        /// <summary><c>tenant</c></summary>
        public static readonly StringParameter Tenant = new("tenant", "Keystone project (tenant) name.");

        /// <summary><c>tenantid</c></summary>
        public static readonly StringParameter TenantId = new("tenantid", "Keystone project (tenant) id.");

        /// <summary><c>domain</c></summary>
        public static readonly StringParameter Domain = new("domain", "Keystone v3 user domain name.");

        /// <summary><c>domainid</c></summary>
        public static readonly StringParameter DomainId = new("domainid", "Keystone v3 user domain id.");

        /// <summary><c>tenantdomain</c></summary>
        public static readonly StringParameter TenantDomain = new("tenantdomain", "Keystone v3 project domain name.");

        /// <summary><c>tenantdomainid</c></summary>
        public static readonly StringParameter TenantDomainId = new("tenantdomainid", "Keystone v3 project domain id.");

        /// <summary><c>trustid</c></summary>
        public static readonly StringParameter TrustId = new("trustid", "Keystone v3 trust id.");

        /// <summary><c>region</c></summary>
        public static readonly StringParameter Region = new("region", "The catalog region of the object-store endpoint; the first when unset.");

        /// <summary><c>authversion</c>: 0 detects it from the URL (<see cref="EffectiveAuthVersion"/>).</summary>
        public static readonly Int32Parameter AuthVersion = new("authversion", "1, 2 or 3; detected from authurl when unset or 0.") { Min = 0, Max = 3, DefaultDescription = "detected" };

        /// <summary><c>endpointtype</c></summary>
        public static readonly ChoiceParameter EndpointType = new("endpointtype", "The catalog interface.", ["public", "internal", "admin"]);

        /// <summary><c>prefix</c></summary>
        public static readonly StringParameter Prefix = new("prefix", "An object-name prefix for everything the driver stores (distribution's prefix).") { Default = "" };

        /// <summary><c>rootdirectory</c> (this project's: every driver takes it)</summary>
        public static readonly StringParameter RootDirectory = new("rootdirectory", "A prefix before prefix, so several registries (or test runs) share a container.") { Default = "" };

        /// <summary><c>insecureskipverify</c></summary>
        public static readonly BooleanParameter InsecureSkipVerify = new("insecureskipverify", "Skip TLS certificate verification.");

        /// <summary><c>chunksize</c>: distribution's default (20 MiB) and smallest (1 MiB) segment.</summary>
        public static readonly SizeParameter ChunkSize = new("chunksize", "The segment size of large objects: what a writer buffers.") { Default = 20L << 20, Min = MinChunkSize, Max = MaxChunkSize };

        /// <summary><c>secretkey</c></summary>
        public static readonly StringParameter SecretKey = new("secretkey", "The TempURL key; read from or set on the container/account when unset.") { Secret = true };

        /// <summary><c>accesskey</c></summary>
        public static readonly StringParameter AccessKey = new("accesskey", "HP Cloud access key for TempURL signatures (tenantid:accesskey:signature).") { Secret = true };

        /// <summary><c>tempurlcontainerkey</c></summary>
        public static readonly BooleanParameter TempUrlContainerKey = new("tempurlcontainerkey", "Keep the TempURL key on the container (only used when /info is unavailable).");

        /// <summary><c>tempurlmethods</c></summary>
        public static readonly StringListParameter TempUrlMethods = new("tempurlmethods", "Methods TempURLs may be signed for (only used when /info is unavailable).");

        /// <summary><c>uploadconcurrency</c> (this project's, as the s3 driver's; see <see cref="UploadConcurrency"/>).</summary>
        public static readonly Int32Parameter UploadConcurrency = new("uploadconcurrency", "Segments a writer uploads at once; memory per writer is (uploadconcurrency + 1) × chunksize.")
        {
            Default = 4,
            Min = 1,
            Max = 64,
        };
    }
}
