using Microsoft.Extensions.Configuration;
using Registry.Storage.Hosting.Configuration;
using Registry.Storage.Hosting.Decorators;
using Registry.Storage.Hosting.Plugins;

namespace Registry.Storage.Hosting.DependencyInjection;

/// <summary>
/// What <c>AddRegistryStorage</c> builds the driver from: a configuration (distribution's
/// <c>storage:</c>, <c>middleware:</c> and our <c>plugins:</c> sections), or a driver named in
/// code with its parameters; plus drivers compiled into the application.
/// </summary>
public sealed class RegistryStorageOptions
{
    /// <summary>The configuration key of the plugins directory.</summary>
    public const string PluginsDirectoryKey = StorageHostOptions.PluginsDirectoryKey;

    /// <summary>The configuration the driver, its decorators and plugin trust are read from.</summary>
    public IConfiguration? Configuration { get; set; }

    /// <summary>The plugins directory; default <c>regstore:plugins</c> from configuration, else <c>plugins/</c> beside the application.</summary>
    public string? PluginsDirectory { get; set; }

    /// <summary>A driver named in code (instead of configuration).</summary>
    public string? Driver { get; set; }

    /// <summary>The parameters of the driver named in code.</summary>
    public IDictionary<string, object?> Parameters { get; } = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);

    /// <summary>The decorators of the driver named in code.</summary>
    public DecoratorOptions Decorators { get; set; } = DecoratorOptions.Default;

    /// <summary>Trust and limits for plugins when no configuration is given.</summary>
    public PluginCatalogOptions? Plugins { get; set; }

    /// <summary>Factories compiled into the application, beside (or instead of) plugins.</summary>
    public IList<IStorageDriverFactory> Factories { get; } = [];

    internal StorageHostOptions ToHostOptions()
    {
        if (Configuration is { } configuration)
        {
            var host = StorageHostOptions.FromConfiguration(configuration, PluginsDirectory, [.. Factories]);
            return Plugins is null ? host : host with { Plugins = Plugins };
        }

        var directory = Path.GetFullPath(PluginsDirectory ?? HostDefaults.PluginsDirectory);
        return new StorageHostOptions
        {
            PluginsDirectory = directory,
            Plugins = Plugins ?? new PluginCatalogOptions { BundledFolders = BundledPlugins.FoldersIn(directory) },
            Factories = [.. Factories],
        };
    }
}
