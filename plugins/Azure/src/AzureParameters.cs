using System.Text;

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
    /// <summary>Distribution's default realm (public Azure).</summary>
    public const string DefaultRealm = "core.windows.net";

    /// <summary>Default block size of the writer: distribution's 4 MiB append chunk.</summary>
    public const long DefaultChunkSize = 4L << 20;

    /// <summary>Default number of blocks a writer uploads at once.</summary>
    public const int DefaultMaxConcurrency = 8;

    /// <summary>The smallest block size accepted (1 MiB keeps 50,000 blocks ≥ 48 GiB).</summary>
    public const long MinChunkSize = 1L << 20;

    /// <summary>The largest block size accepted: each block is one pooled array (the service itself takes up to 4000 MiB).</summary>
    public const long MaxChunkSize = 256L << 20;

    /// <summary>Blocks a block blob may commit (service limit).</summary>
    public const int MaxBlocks = 50_000;

    /// <summary>Parameter names as configuration spells them.</summary>
    public static class Names
    {
        /// <summary><c>accountname</c></summary>
        public const string AccountName = "accountname";

        /// <summary><c>accountkey</c></summary>
        public const string AccountKey = "accountkey";

        /// <summary><c>container</c></summary>
        public const string Container = "container";

        /// <summary><c>credentials</c> (a map: type, clientid, tenantid, secret)</summary>
        public const string Credentials = "credentials";

        /// <summary><c>connectionstring</c></summary>
        public const string ConnectionString = "connectionstring";

        /// <summary><c>realm</c></summary>
        public const string Realm = "realm";

        /// <summary><c>serviceurl</c></summary>
        public const string ServiceUrl = "serviceurl";

        /// <summary><c>rootdirectory</c></summary>
        public const string RootDirectory = "rootdirectory";

        /// <summary><c>max_retries</c></summary>
        public const string MaxRetries = "max_retries";

        /// <summary><c>retry_delay</c></summary>
        public const string RetryDelay = "retry_delay";

        /// <summary><c>skipverify</c></summary>
        public const string SkipVerify = "skipverify";

        /// <summary><c>chunksize</c> (ours: the writer's block size)</summary>
        public const string ChunkSize = "chunksize";

        /// <summary><c>maxconcurrency</c> (ours: blocks uploaded, blobs deleted at once)</summary>
        public const string MaxConcurrency = "maxconcurrency";

        /// <summary><c>credentials.type</c></summary>
        public const string CredentialsType = "type";

        /// <summary><c>credentials.clientid</c></summary>
        public const string ClientId = "clientid";

        /// <summary><c>credentials.tenantid</c></summary>
        public const string TenantId = "tenantid";

        /// <summary><c>credentials.secret</c></summary>
        public const string Secret = "secret";

        /// <summary>Every top-level name the driver understands.</summary>
        public static IReadOnlyList<string> All { get; } =
        [
            AccountName, AccountKey, Container, Credentials, ConnectionString, Realm, ServiceUrl, RootDirectory,
            MaxRetries, RetryDelay, SkipVerify, ChunkSize, MaxConcurrency,
        ];

        /// <summary>Every name inside <c>credentials</c>.</summary>
        public static IReadOnlyList<string> InCredentials { get; } = [CredentialsType, ClientId, TenantId, Secret];
    }

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
    public string Realm { get; init; } = DefaultRealm;

    /// <summary>The blob service endpoint; <c>https://{accountname}.blob.{realm}</c> unless set.</summary>
    public Uri? ServiceUrl { get; init; }

    /// <summary>The prefix of every blob name, without leading or trailing slashes (empty for none).</summary>
    public string RootDirectory { get; init; } = "";

    /// <summary>How often Move polls a pending server-side copy; -1 aborts a copy that does not complete at once.</summary>
    public int MaxRetries { get; init; } = 5;

    /// <summary>The base delay between copy polls; poll n waits n × this.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Accept any TLS certificate (test endpoints only).</summary>
    public bool SkipVerify { get; init; }

    /// <summary>The writer's block size.</summary>
    public long ChunkSize { get; init; } = DefaultChunkSize;

    /// <summary>Blocks a writer uploads at once, and blobs Delete removes at once.</summary>
    public int MaxConcurrency { get; init; } = DefaultMaxConcurrency;

    /// <summary>Parses and checks <paramref name="parameters"/>; every error names the parameter and what is allowed.</summary>
    /// <exception cref="InvalidParameterException">A parameter is missing, unknown or invalid.</exception>
    public static AzureParameters Parse(DriverParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        parameters.RejectUnknown(Names.All);
        var credentials = parameters.GetSection(Names.Credentials);
        credentials?.RejectUnknown(Names.InCredentials);

        var accountName = parameters.GetString(Names.AccountName);
        var accountKey = parameters.GetString(Names.AccountKey);
        if (accountKey is not null && !IsBase64(accountKey))
        {
            // The SDK would say only "The input is not a valid Base-64 string"; the value is a secret, so it is never shown.
            throw parameters.Invalid(Names.AccountKey, "(hidden)", "the account key as the portal shows it: base64 text");
        }
        var connectionString = parameters.GetString(Names.ConnectionString);
        var type = ParseCredentialsType(parameters, credentials, accountKey, connectionString);

        if (accountName is null && type != AzureCredentialsType.ConnectionString)
        {
            throw parameters.Missing(Names.AccountName, "the storage account's name");
        }

        var container = parameters.GetRequiredString(Names.Container, "the name of the blob container");
        if (!IsValidContainerName(container))
        {
            throw parameters.Invalid(Names.Container, container, "3-63 lowercase letters, digits and single dashes, starting and ending with a letter or digit");
        }

        var realm = parameters.GetString(Names.Realm, DefaultRealm)!;
        var result = new AzureParameters
        {
            AccountName = accountName,
            AccountKey = accountKey,
            Container = container,
            CredentialsType = type,
            ConnectionString = connectionString,
            Realm = realm,
            ServiceUrl = ParseServiceUrl(parameters, accountName, realm, type),
            RootDirectory = (parameters.GetString(Names.RootDirectory) ?? "").Trim('/'),
            MaxRetries = parameters.GetInt32(Names.MaxRetries, 5, min: -1),
            RetryDelay = parameters.GetDuration(Names.RetryDelay, TimeSpan.FromMilliseconds(100)),
            SkipVerify = parameters.GetBoolean(Names.SkipVerify, false),
            ChunkSize = parameters.GetByteSize(Names.ChunkSize, DefaultChunkSize, MinChunkSize, MaxChunkSize),
            MaxConcurrency = parameters.GetInt32(Names.MaxConcurrency, DefaultMaxConcurrency, 1, 256),
        };

        return type switch
        {
            AzureCredentialsType.SharedKey when accountKey is null =>
                throw parameters.Missing(Names.AccountKey, "the account key (credentials type shared_key)"),
            AzureCredentialsType.ClientSecret => result with
            {
                ClientId = credentials!.GetRequiredString(Names.ClientId, "the application (client) id for client_secret credentials"),
                TenantId = credentials.GetRequiredString(Names.TenantId, "the tenant id for client_secret credentials"),
                ClientSecret = credentials.GetRequiredString(Names.Secret, "the client secret for client_secret credentials"),
            },
            _ => result,
        };
    }

    // Distribution: an account key means shared_key; otherwise credentials.type decides. A
    // connection string (accepted by distribution's parser) is used when nothing else is given.
    private static AzureCredentialsType ParseCredentialsType(DriverParameters parameters, DriverParameters? credentials, string? accountKey, string? connectionString)
    {
        var explicitType = credentials?.GetString(Names.CredentialsType);
        if (explicitType is not null)
        {
            return credentials!.GetChoice(Names.CredentialsType, "shared_key", "shared_key", "client_secret", "default_credentials") switch
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

        throw parameters.Missing(Names.AccountKey,
            "an account key, a connectionstring, or credentials.type client_secret or default_credentials");
    }

    private static Uri? ParseServiceUrl(DriverParameters parameters, string? accountName, string realm, AzureCredentialsType type)
    {
        var text = parameters.GetString(Names.ServiceUrl);
        if (text is null)
        {
            return type == AzureCredentialsType.ConnectionString && accountName is null
                ? null
                : new Uri($"https://{accountName}.blob.{realm}");
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            throw parameters.Invalid(Names.ServiceUrl, text, "an absolute http(s) URL such as https://account.blob.core.windows.net");
        }

        return uri;
    }

    // https://learn.microsoft.com/rest/api/storageservices/naming-and-referencing-containers--blobs--and-metadata
    private static bool IsValidContainerName(string name) =>
        name.Length is >= 3 and <= 63
        && name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-')
        && name[0] != '-' && name[^1] != '-'
        && !name.Contains("--", StringComparison.Ordinal);

    // Records print every property; credentials must never reach a log or an error message.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("AccountName = ").Append(AccountName)
            .Append(", AccountKey = ").Append(AccountKey is null ? "(unset)" : "******")
            .Append(", Container = ").Append(Container)
            .Append(", CredentialsType = ").Append(CredentialsType)
            .Append(", ClientId = ").Append(ClientId)
            .Append(", TenantId = ").Append(TenantId)
            .Append(", ClientSecret = ").Append(ClientSecret is null ? "(unset)" : "******")
            .Append(", ConnectionString = ").Append(ConnectionString is null ? "(unset)" : "******")
            .Append(", Realm = ").Append(Realm)
            .Append(", ServiceUrl = ").Append(ServiceUrl)
            .Append(", RootDirectory = ").Append(RootDirectory)
            .Append(", MaxRetries = ").Append(MaxRetries)
            .Append(", RetryDelay = ").Append(RetryDelay)
            .Append(", SkipVerify = ").Append(SkipVerify)
            .Append(", ChunkSize = ").Append(ChunkSize)
            .Append(", MaxConcurrency = ").Append(MaxConcurrency);
        return true;
    }

    private static bool IsBase64(string text)
    {
        var buffer = new byte[((text.Length + 3) / 4) * 3];
        return Convert.TryFromBase64String(text, buffer, out _);
    }
}
