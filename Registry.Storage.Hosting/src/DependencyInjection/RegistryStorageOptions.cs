using Registry.Storage.Hosting.Configuration;
using Registry.Storage.Hosting.Decorators;

namespace Registry.Storage.Hosting.DependencyInjection;

/// <summary>
/// What <c>AddRegistryStorage</c> needs to build the configured driver: where plugins live,
/// which driver, its parameters and the decorators around it. Bound from configuration
/// (distribution's <c>storage:</c> and <c>middleware:</c> sections plus
/// <c>regstore:plugins</c>) or set in code.
/// </summary>
public sealed class RegistryStorageOptions
{
    /// <summary>The configuration key of the plugins directory.</summary>
    public const string PluginsDirectoryKey = "regstore:plugins";

    /// <summary>The plugins directory (one folder per driver); default <c>plugins/</c> beside the application.</summary>
    public string PluginsDirectory { get; set; } = HostDefaults.PluginsDirectory;

    /// <summary>The driver's registered name (<c>filesystem</c>, <c>s3</c> …).</summary>
    public string? Driver { get; set; }

    /// <summary>The driver's parameters, as a registry's <c>config.yml</c> gives them.</summary>
    public IDictionary<string, object?> Parameters { get; } = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);

    /// <summary>The decorators and storage middleware around the driver.</summary>
    public DecoratorOptions Decorators { get; set; } = DecoratorOptions.Default;

    /// <summary>Factories registered in-process, beside (or instead of) plugins — for drivers compiled into the application.</summary>
    public IList<IStorageDriverFactory> Factories { get; } = [];

    /// <summary>Problems found while reading configuration; start-up validation reports them.</summary>
    internal List<string> ConfigurationErrors { get; } = [];
}
