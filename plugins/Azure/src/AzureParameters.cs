using System.Text;
using Registry.Storage.Kit;

namespace Registry.Storage.Drivers.Azure;

/// <summary>How the driver authenticates (distribution's <c>credentials.type</c>).</summary>
public enum AzureCredentialsType
{
    /// <summary>Account name and key (<c>shared_key</c>); can sign SAS URLs.</summary>
    SharedKey,

    /// <summary>An Entra ID application's client secret (<c>client_secret</c>).</summary>
    ClientSecret,

    /// <summary>Azure.Identity's default credential chain (<c>default_credentials</c>).</summary>
    DefaultCredentials,

    /// <summary>An Azure Storage connection string (<c>connectionstring</c>); signs SAS URLs when it holds an account key.</summary>
    ConnectionString,
}

/// <summary>
/// The azure driver's configuration, parsed from <see cref="DriverParameters"/> with
/// distribution v3's names and defaults (plus <c>chunksize</c> and <c>maxconcurrency</c>
/// for the staged-block writer). <see cref="ToString"/> never shows a credential.
/// </summary>
public sealed record AzureParameters
{
    /// <summary>The smallest block size accepted (1 MiB keeps 50,000 blocks ≥ 48 GiB).</summary>
    public const long MinChunkSize = 1L << 20;

    /// <summary>The largest block size accepted: each block is one pooled array (the service itself takes up to 4000 MiB).</summary>
    public const long MaxChunkSize = 256L << 20;

    /// <summary>Blocks a block blob may commit (service limit).</summary>
    public const int MaxBlocks = 50_000;

    /// <summary>Every top-level parameter the driver understands, each declared once (distribution v3's names and defaults).</summary>
    public static DriverParameterTable Table { get; } = new(
        Declared.AccountName, Declared.AccountKey, Declared.Container, Declared.Credentials, Declared.ConnectionString, Declared.Realm,
        Declared.ServiceUrl, Declared.RootDirectory, Declared.MaxRetries, Declared.RetryDelay, Declared.SkipVerify, Declared.ChunkSize,
        Declared.MaxConcurrency);

    /// <summary>The storage account (distribution requires it; optional with a connection string).</summary>
    public string? AccountName { get; init; }

    /// <summary>The account key for <see cref="AzureCredentialsType.SharedKey"/>.</summary>
    public string? AccountKey { get; init; }

    /// <summary>The container holding everything; created when missing.</summary>
    public required string Container { get; init; }

    /// <summary>How the driver authenticates.</summary>
    public AzureCredentialsType CredentialsType { get; init; }

    /// <summary>Entra ID application (client) id for <see cref="AzureCredentialsType.ClientSecret"/>.</summary>
    public string? ClientId { get; init; }

    /// <summary>Entra ID tenant for <see cref="AzureCredentialsType.ClientSecret"/>.</summary>
    public string? TenantId { get; init; }

    /// <summary>The client secret for <see cref="AzureCredentialsType.ClientSecret"/>.</summary>
    public string? ClientSecret { get; init; }

    /// <summary>A connection string for <see cref="AzureCredentialsType.ConnectionString"/>.</summary>
    public string? ConnectionString { get; init; }

    /// <summary>The endpoint domain suffix (<c>core.windows.net</c>).</summary>
    public string Realm { get; init; } = Declared.Realm.Default!;

    /// <summary>The blob service endpoint; <c>https://{accountname}.blob.{realm}</c> unless set.</summary>
    public Uri? ServiceUrl { get; init; }

    /// <summary>The prefix of every blob name, without leading or trailing slashes (empty for none).</summary>
    public string RootDirectory { get; init; } = "";

    /// <summary>How often Move polls a pending server-side copy; -1 aborts a copy that does not complete at once.</summary>
    public int MaxRetries { get; init; } = Declared.MaxRetries.Default;

    /// <summary>The base delay between copy polls; poll n waits n × this.</summary>
    public TimeSpan RetryDelay { get; init; } = Declared.RetryDelay.Default;

    /// <summary>Accept any TLS certificate (test endpoints only).</summary>
    public bool SkipVerify { get; init; }

    /// <summary>The writer's block size.</summary>
    public long ChunkSize { get; init; } = Declared.ChunkSize.Default;

    /// <summary>Blocks a writer uploads at once, and blobs Delete removes at once.</summary>
    public int MaxConcurrency { get; init; } = Declared.MaxConcurrency.Default;

    /// <summary>Parses and checks <paramref name="parameters"/>; every error names the parameter and what is allowed.</summary>
    /// <exception cref="InvalidParameterException">A parameter is missing, unknown or invalid.</exception>
    public static AzureParameters Parse(DriverParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Table.RejectUnknown(parameters);
        var credentials = Declared.Credentials.Read(parameters);

        var accountName = Declared.AccountName.Read(parameters);
        var accountKey = Declared.AccountKey.Read(parameters);
        if (accountKey is not null && !IsBase64(accountKey))
        {
            // The SDK would say only "The input is not a valid Base-64 string"; the value is a secret, so it is never shown.
            throw parameters.Invalid(Declared.AccountKey.Name, "(hidden)", "the account key as the portal shows it: base64 text");
        }
        var connectionString = Declared.ConnectionString.Read(parameters);
        var type = ParseCredentialsType(parameters, credentials, accountKey, connectionString);

        if (accountName is null && type != AzureCredentialsType.ConnectionString)
        {
            throw parameters.Missing(Declared.AccountName.Name, "the storage account's name");
        }

        var container = Declared.Container.ReadRequired(parameters);
        if (!IsValidContainerName(container))
        {
            throw parameters.Invalid(Declared.Container.Name, container, "3-63 lowercase letters, digits and single dashes, starting and ending with a letter or digit");
        }

        var realm = Declared.Realm.Read(parameters)!;
        var result = new AzureParameters
        {
            AccountName = accountName,
            AccountKey = accountKey,
            Container = container,
            CredentialsType = type,
            ConnectionString = connectionString,
            Realm = realm,
            ServiceUrl = ParseServiceUrl(parameters, accountName, realm, type),
            RootDirectory = Declared.RootDirectory.Read(parameters)!.Trim('/'),
            MaxRetries = Declared.MaxRetries.Read(parameters),
            RetryDelay = Declared.RetryDelay.Read(parameters),
            SkipVerify = Declared.SkipVerify.Read(parameters),
            ChunkSize = Declared.ChunkSize.Read(parameters),
            MaxConcurrency = Declared.MaxConcurrency.Read(parameters),
        };

        return type switch
        {
            AzureCredentialsType.SharedKey when accountKey is null =>
                throw parameters.Missing(Declared.AccountKey.Name, "the account key (credentials type shared_key)"),
            AzureCredentialsType.ClientSecret => result with
            {
                ClientId = Declared.ClientId.ReadRequired(credentials!, "the application (client) id for client_secret credentials"),
                TenantId = Declared.TenantId.ReadRequired(credentials!, "the tenant id for client_secret credentials"),
                ClientSecret = Declared.Secret.ReadRequired(credentials!, "the client secret for client_secret credentials"),
            },
            _ => result,
        };
    }

    // Distribution: an account key means shared_key; otherwise credentials.type decides. A
    // connection string (accepted by distribution's parser) is used when nothing else is given.
    private static AzureCredentialsType ParseCredentialsType(DriverParameters parameters, DriverParameters? credentials, string? accountKey, string? connectionString)
    {
        if (credentials?.GetString(Declared.CredentialsType.Name) is not null)
        {
            return Declared.CredentialsType.Read(credentials) switch
            {
                "client_secret" => AzureCredentialsType.ClientSecret,
                "default_credentials" => AzureCredentialsType.DefaultCredentials,
                _ => AzureCredentialsType.SharedKey,
            };
        }

        if (accountKey is not null)
        {
            return AzureCredentialsType.SharedKey;
        }

        if (connectionString is not null)
        {
            return AzureCredentialsType.ConnectionString;
        }

        throw parameters.Missing(Declared.AccountKey.Name,
            "an account key, a connectionstring, or credentials.type client_secret or default_credentials");
    }

    private static Uri? ParseServiceUrl(DriverParameters parameters, string? accountName, string realm, AzureCredentialsType type)
    {
        var text = Declared.ServiceUrl.Read(parameters);
        if (text is null)
        {
            return type == AzureCredentialsType.ConnectionString && accountName is null
                ? null
                : new Uri($"https://{accountName}.blob.{realm}");
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            throw parameters.Invalid(Declared.ServiceUrl.Name, text, "an absolute http(s) URL such as https://account.blob.core.windows.net");
        }

        return uri;
    }

    // https://learn.microsoft.com/rest/api/storageservices/naming-and-referencing-containers--blobs--and-metadata
    private static bool IsValidContainerName(string name) =>
        name.Length is >= 3 and <= 63
        && name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-')
        && name[0] != '-' && name[^1] != '-'
        && !name.Contains("--", StringComparison.Ordinal);

    // Records print every property: the table masks the credentials it declares secret
    // (and ClientSecret, which comes from credentials.secret and is named like a credential).
    private bool PrintMembers(StringBuilder builder) => Table.PrintMembers(builder, this);

    private static bool IsBase64(string text)
    {
        var buffer = new byte[((text.Length + 3) / 4) * 3];
        return Convert.TryFromBase64String(text, buffer, out _);
    }

    /// <summary>The parameters' declarations: name, default, range, secrecy and description of each.</summary>
    public static class Declared
    {
        /// <summary><c>credentials.type</c></summary>
        public static readonly ChoiceParameter CredentialsType = new("type", "How to authenticate.", ["shared_key", "client_secret", "default_credentials"]);

        /// <summary><c>credentials.clientid</c></summary>
        public static readonly StringParameter ClientId = new("clientid", "The application (client) id, for client_secret.");

        /// <summary><c>credentials.tenantid</c></summary>
        public static readonly StringParameter TenantId = new("tenantid", "The tenant id, for client_secret.");

        /// <summary><c>credentials.secret</c></summary>
        public static readonly StringParameter Secret = new("secret", "The client secret, for client_secret.") { Secret = true };

        /// <summary><c>accountname</c>: required unless a connection string is given (a rule Parse applies).</summary>
        public static readonly StringParameter AccountName = new("accountname", "The storage account's name; required unless connectionstring is given.");

        /// <summary><c>accountkey</c></summary>
        public static readonly StringParameter AccountKey = new("accountkey", "The account's key; implies credentials type shared_key.") { Secret = true };

        /// <summary><c>container</c></summary>
        public static readonly StringParameter Container = new("container", "The blob container holding all registry data; created when missing.")
        {
            Required = true,
            Expected = "the name of the blob container",
        };

        /// <summary><c>credentials</c>: a map of <see cref="CredentialsType"/>, <see cref="ClientId"/>, <see cref="TenantId"/> and <see cref="Secret"/>.</summary>
        public static readonly SectionParameter Credentials = new("credentials", "How the driver authenticates, when not with an account key.",
            new DriverParameterTable(CredentialsType, ClientId, TenantId, Secret)) { Secret = true };

        /// <summary><c>connectionstring</c></summary>
        public static readonly StringParameter ConnectionString = new("connectionstring", "An Azure Storage connection string, used when no account key or credentials are given.") { Secret = true };

        /// <summary><c>realm</c>: public Azure by default.</summary>
        public static readonly StringParameter Realm = new("realm", "The endpoint domain suffix.") { Default = "core.windows.net" };

        /// <summary><c>serviceurl</c></summary>
        public static readonly StringParameter ServiceUrl = new("serviceurl", "The blob endpoint.") { DefaultDescription = "https://{accountname}.blob.{realm}" };

        /// <summary><c>rootdirectory</c></summary>
        public static readonly StringParameter RootDirectory = new("rootdirectory", "A prefix applied to every blob name.") { Default = "" };

        /// <summary><c>max_retries</c></summary>
        public static readonly Int32Parameter MaxRetries = new("max_retries", "Polls of a pending server-side copy before Move aborts it; -1 aborts at once.") { Default = 5, Min = -1 };

        /// <summary><c>retry_delay</c></summary>
        public static readonly DurationParameter RetryDelay = new("retry_delay", "Base delay between copy polls; poll n waits n times this.") { Default = TimeSpan.FromMilliseconds(100) };

        /// <summary><c>skipverify</c></summary>
        public static readonly BooleanParameter SkipVerify = new("skipverify", "Skip TLS certificate verification (test endpoints only).");

        /// <summary><c>chunksize</c> (ours: distribution appends 4 MiB at a time, the default block here).</summary>
        public static readonly SizeParameter ChunkSize = new("chunksize", "The writer's block size (not in distribution, which uses 4 MiB appends).")
        {
            Default = 4L << 20,
            Min = MinChunkSize,
            Max = MaxChunkSize,
        };

        /// <summary><c>maxconcurrency</c> (ours)</summary>
        public static readonly Int32Parameter MaxConcurrency = new("maxconcurrency", "Blocks a writer stages at once, and blobs Delete removes at once (not in distribution).")
        {
            Default = 8,
            Min = 1,
            Max = 256,
        };
    }
}
