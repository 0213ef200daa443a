using Microsoft.Extensions.Configuration;

namespace Registry.Storage.Hosting.Plugins;

/// <summary>How discovery decides which folder serves which name, and what loading demands.</summary>
public sealed record PluginCatalogOptions
{
    /// <summary>The configuration section pinning driver names to plugin folders (<c>plugins:pin:&lt;name&gt;: &lt;folder&gt;</c>).</summary>
    public const string PinSection = "plugins:pin";

    /// <summary>The configuration key of the limit on every call into plugin code.</summary>
    public const string CallTimeoutKey = "plugins:calltimeout";

    /// <summary>The default limit on a call into plugin code.</summary>
    public static readonly TimeSpan DefaultCallTimeout = TimeSpan.FromSeconds(30);

    /// <summary>What a plugin folder must satisfy before it is loaded.</summary>
    public PluginTrustOptions Trust { get; init; } = PluginTrustOptions.Default;

    /// <summary>Folders (full paths) shipped with the host, whose declared names win over other folders'.</summary>
    public IReadOnlySet<string> BundledFolders { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Driver name → plugin folder (a folder name under the plugins directory, or a path): settles a clash.</summary>
    public IReadOnlyDictionary<string, string> Pins { get; init; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Check every plugin's files (permissions of every loadable file, the shape of every
    /// <c>*.deps.json</c>) while discovering, as <c>regstore drivers</c> does to report them. Off,
    /// discovery reads only folders and assembly metadata, and the selected plugin's files are
    /// checked right before it loads — they always are, whatever this says.
    /// </summary>
    public bool CheckFilesAtDiscovery { get; init; }

    /// <summary>The limit on each call into plugin code (loading, constructor, Name, Aliases, Parameters, CreateAsync).</summary>
    public TimeSpan CallTimeout { get; init; } = DefaultCallTimeout;

    /// <summary>Reads trust, pins and the call limit from configuration; bundled folders from the host's own list.</summary>
    public static PluginCatalogOptions FromConfiguration(IConfiguration configuration, string pluginsDirectory)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var pins = configuration.GetSection(PinSection).GetChildren()
            .Where(c => c.Value is { Length: > 0 })
            .ToDictionary(c => c.Key, c => c.Value!, StringComparer.OrdinalIgnoreCase);
        var timeout = DefaultCallTimeout;
        if (configuration[CallTimeoutKey] is { Length: > 0 } text)
        {
            timeout = GoDuration.TryParse(text, out var parsed) && parsed > TimeSpan.Zero
                ? parsed
                : throw new InvalidOperationException($"{CallTimeoutKey}: expected a positive duration such as 30s, got '{text}'");
        }

        return new PluginCatalogOptions
        {
            Trust = PluginTrustOptions.FromConfiguration(configuration),
            Pins = pins,
            CallTimeout = timeout,
            BundledFolders = BundledPlugins.FoldersIn(pluginsDirectory),
        };
    }
}
