using Microsoft.Extensions.Configuration;
using Registry.Server.Configuration;

namespace Registry.Server;

/// <summary>
/// What the registry server honours from distribution's <c>config.yml</c>, read from an
/// <see cref="IConfiguration"/> root whose keys mirror the YAML (<c>http:addr</c>,
/// <c>storage:delete:enabled</c>). The <c>storage</c> driver section itself is the host's
/// business: the driver is handed to <c>RegistryServerApplication.Build</c>.
/// </summary>
public sealed record RegistryServerOptions
{
    /// <summary>The <c>http</c> section.</summary>
    public HttpOptions Http { get; init; } = new();

    /// <summary><c>auth.htpasswd</c>, or null.</summary>
    public HtpasswdOptions? Htpasswd { get; init; }

    /// <summary><c>auth.token</c>, or null.</summary>
    public TokenAuthOptions? Token { get; init; }

    /// <summary><c>storage.delete.enabled</c>: whether blob and manifest DELETE is allowed.</summary>
    public bool DeleteEnabled { get; init; }

    /// <summary><c>storage.redirect.disable</c>: serve blobs through the registry even when the driver can redirect.</summary>
    public bool RedirectDisabled { get; init; }

    /// <summary><c>storage.maintenance.readonly.enabled</c>: refuse every write.</summary>
    public bool ReadOnly { get; init; }

    /// <summary><c>storage.maintenance.uploadpurging</c>.</summary>
    public UploadPurgingOptions UploadPurging { get; init; } = new();

    /// <summary><c>storage.maintenance.gc</c>: scheduled garbage collection (off by default).</summary>
    public ScheduledGcOptions ScheduledGc { get; init; } = new();

    /// <summary><c>health.storagedriver.enabled</c>: whether <c>/debug/health</c> checks the driver.</summary>
    public bool HealthCheckStorage { get; init; } = true;

    /// <summary>
    /// regstore's <c>http.maxconcurrentrequestsperclient</c> (not in distribution): requests in flight
    /// per client address, beyond which the server answers 429 <c>TOO_MANY_REQUESTS</c>; null for no limit.
    /// </summary>
    public int? MaxConcurrentRequestsPerClient { get; init; }

    /// <summary>The largest manifest accepted (4 MiB as distribution).</summary>
    public int MaxManifestBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>Things in the configuration the server does not honour; logged once at start.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    private static readonly string[] KnownSections = ["version", "log", "storage", "http", "auth", "health"];

    /// <summary>Reads the options from distribution-shaped configuration; unknown or unsupported sections become <see cref="Warnings"/>.</summary>
    /// <exception cref="FormatException">A value cannot be parsed (the message names the key).</exception>
    public static RegistryServerOptions FromConfiguration(IConfiguration root)
    {
        ArgumentNullException.ThrowIfNull(root);
        var warnings = new List<string>();
        foreach (var section in root.GetChildren())
        {
            if (!KnownSections.Contains(section.Key, StringComparer.OrdinalIgnoreCase))
            {
                warnings.Add($"configuration section '{section.Key}' is not supported by regstore serve and is ignored");
            }
        }

        var auth = root.GetSection("auth");
        foreach (var scheme in auth.GetChildren())
        {
            if (!scheme.Key.Equals("htpasswd", StringComparison.OrdinalIgnoreCase) && !scheme.Key.Equals("token", StringComparison.OrdinalIgnoreCase))
            {
                warnings.Add($"auth.{scheme.Key} is not supported and is ignored: the registry is open unless htpasswd or token is configured");
            }
        }

        var purging = root.GetSection("storage:maintenance:uploadpurging");
        var defaults = new UploadPurgingOptions();
        var gc = root.GetSection("storage:maintenance:gc");
        var gcDefaults = new ScheduledGcOptions();
        return new RegistryServerOptions
        {
            Http = ReadHttp(root.GetSection("http")),
            Htpasswd = auth.GetSection("htpasswd").Exists()
                ? new HtpasswdOptions(Required(auth, "htpasswd:realm"), Required(auth, "htpasswd:path"))
                : null,
            Token = auth.GetSection("token").Exists()
                ? new TokenAuthOptions(Required(auth, "token:realm"), Required(auth, "token:service"), Required(auth, "token:issuer"), Required(auth, "token:rootcertbundle"))
                {
                    AutoRedirect = Bool(auth, "token:autoredirect", false),
                }
                : null,
            DeleteEnabled = Bool(root, "storage:delete:enabled", false),
            RedirectDisabled = Bool(root, "storage:redirect:disable", false),
            ReadOnly = Bool(root, "storage:maintenance:readonly:enabled", false),
            UploadPurging = new UploadPurgingOptions
            {
                Enabled = Bool(purging, "enabled", defaults.Enabled),
                Age = Duration(purging, "age", defaults.Age),
                Interval = Duration(purging, "interval", defaults.Interval),
                DryRun = Bool(purging, "dryrun", defaults.DryRun),
            },
            ScheduledGc = new ScheduledGcOptions
            {
                Enabled = Bool(gc, "enabled", gcDefaults.Enabled),
                Interval = Duration(gc, "interval", gcDefaults.Interval),
                Grace = Duration(gc, "grace", gcDefaults.Grace),
                DeleteUntagged = Bool(gc, "deleteuntagged", gcDefaults.DeleteUntagged),
                DryRun = Bool(gc, "dryrun", gcDefaults.DryRun),
            },
            HealthCheckStorage = Bool(root, "health:storagedriver:enabled", true),
            MaxConcurrentRequestsPerClient = root["http:maxconcurrentrequestsperclient"] is { Length: > 0 } limit
                ? int.TryParse(limit, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n > 0
                    ? n
                    : throw new FormatException($"http:maxconcurrentrequestsperclient: '{limit}' is not a positive integer")
                : null,
            Warnings = warnings,
        };
    }

    private static HttpOptions ReadHttp(IConfigurationSection http)
    {
        var headers = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var header in http.GetSection("headers").GetChildren())
        {
            var values = header.Value is { } single ? [single] : header.GetChildren().Select(c => c.Value ?? string.Empty).ToList();
            headers[header.Key] = values;
        }

        var host = http["host"];
        var prefix = http["prefix"] is { Length: > 0 } p ? "/" + p.Trim('/') : "/";
        return new HttpOptions
        {
            Addr = http["addr"] is { Length: > 0 } addr ? addr : ":5000",
            Host = string.IsNullOrEmpty(host) ? null : new Uri(host, UriKind.Absolute),
            Prefix = prefix == "/" ? "/" : prefix,
            RelativeUrls = Bool(http, "relativeurls", false),
            TlsCertificate = NullIfEmpty(http["tls:certificate"]),
            TlsKey = NullIfEmpty(http["tls:key"]),
            Headers = headers,
        };
    }

    private static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;

    private static string Required(IConfiguration section, string key) =>
        NullIfEmpty(section[key]) ?? throw new FormatException($"auth: '{key}' is required");

    private static bool Bool(IConfiguration section, string key, bool defaultValue) =>
        section[key] switch
        {
            null or "" => defaultValue,
            var v when bool.TryParse(v, out var b) => b,
            var v => throw new FormatException($"{key}: '{v}' is not true or false"),
        };

    private static TimeSpan Duration(IConfiguration section, string key, TimeSpan defaultValue) =>
        section[key] is not { Length: > 0 } v ? defaultValue
            : Registry.Storage.GoDuration.TryParse(v, out var parsed) ? parsed
            : throw new FormatException($"{key}: '{v}' is not a duration such as 168h, 10m or 1h30m");
}
