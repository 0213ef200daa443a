using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Registry.Storage.Hosting.Configuration;
using Registry.Storage.Hosting.Decorators;
using Registry.Storage.Hosting.Plugins;

namespace Registry.Storage.Hosting;

/// <summary>What a <see cref="StorageHost"/> needs: where plugins live, what loading demands, and drivers compiled in.</summary>
public sealed record StorageHostOptions
{
    /// <summary>The configuration key of the plugins directory.</summary>
    public const string PluginsDirectoryKey = "regstore:plugins";

    /// <summary>The plugins directory (one folder per driver); default <c>plugins/</c> beside the application.</summary>
    public string PluginsDirectory { get; init; } = HostDefaults.PluginsDirectory;

    /// <summary>Trust, pins and the call limit (<c>plugins:*</c> in configuration).</summary>
    public PluginCatalogOptions Plugins { get; init; } = new();

    /// <summary>Factories compiled into the application; they take precedence over plugins of the same name.</summary>
    public IReadOnlyList<IStorageDriverFactory> Factories { get; init; } = [];

    /// <summary>Reads the plugins directory (<c>regstore:plugins</c>, unless <paramref name="pluginsDirectory"/> overrides it), trust, pins and the call limit.</summary>
    public static StorageHostOptions FromConfiguration(IConfiguration configuration, string? pluginsDirectory = null, IReadOnlyList<IStorageDriverFactory>? factories = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var directory = Path.GetFullPath(pluginsDirectory ?? (configuration[PluginsDirectoryKey] is { Length: > 0 } configured ? configured : HostDefaults.PluginsDirectory));
        return new StorageHostOptions
        {
            PluginsDirectory = directory,
            Plugins = PluginCatalogOptions.FromConfiguration(configuration, directory),
            Factories = factories ?? [],
        };
    }
}

/// <summary>A driver made from configuration, with the parameters it got and where they came from. Disposing it disposes the driver.</summary>
/// <param name="Driver">The driver with its decorators.</param>
/// <param name="Parameters">The parameters it was created with (secrets masked when printed).</param>
/// <param name="Source">Where the selection came from: a file, the environment, or the built-in default.</param>
public sealed record ConfiguredDriver(IStorageDriver Driver, DriverParameters Parameters, string Source) : IAsyncDisposable
{
    /// <inheritdoc />
    public ValueTask DisposeAsync() => Driver.DisposeAsync();
}

/// <summary>
/// The one path from configuration to a ready driver: discovery (metadata only) → the plugin
/// serving the selected name, loaded alone → parameters marked with the factory's secrets →
/// <c>CreateAsync</c> (bounded) → validation → decorators and URL middleware. The CLI, migrate,
/// dependency injection, the bench and the registry server all go through it.
/// </summary>
public sealed class StorageHost
{
    private readonly ILoggerFactory _loggerFactory;
    private readonly TimeProvider _timeProvider;
    private readonly System.Diagnostics.Metrics.Meter? _meter;

    private StorageHost(StorageHostOptions options, DriverRegistry registry, ILoggerFactory loggerFactory, TimeProvider timeProvider, System.Diagnostics.Metrics.Meter? meter)
    {
        Options = options;
        Registry = registry;
        _loggerFactory = loggerFactory;
        _timeProvider = timeProvider;
        _meter = meter;
    }

    /// <summary>The <see cref="ConfiguredDriver.Source"/> of the built-in default.</summary>
    public const string DefaultSource = "built-in default";

    /// <summary>The <see cref="ConfiguredDriver.Source"/> of the fallback when the filesystem plugin is missing.</summary>
    public const string FallbackSource = "built-in default (" + HostDefaults.DriverName + " plugin missing: nothing is kept after exit)";

    /// <summary>The options the host was made with.</summary>
    public StorageHostOptions Options { get; }

    /// <summary>The registry: in-process factories and the plugin catalog.</summary>
    public DriverRegistry Registry { get; }

    /// <summary>What discovery found (no plugin has run).</summary>
    public PluginCatalog Catalog => Registry.Catalog!;

    /// <summary>Discovers the plugins (reading metadata only) and registers the in-process factories.</summary>
    public static StorageHost Create(StorageHostOptions options, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null) =>
        Create(options, loggerFactory, timeProvider, meterFactory: null);

    /// <summary>As <see cref="Create(StorageHostOptions, ILoggerFactory?, TimeProvider?)"/>, with the drivers' metrics on a meter from <paramref name="meterFactory"/> (an application's DI).</summary>
    public static StorageHost Create(StorageHostOptions options, ILoggerFactory? loggerFactory, TimeProvider? timeProvider, System.Diagnostics.Metrics.IMeterFactory? meterFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        loggerFactory ??= NullLoggerFactory.Instance;
        var catalog = PluginCatalog.Scan(options.PluginsDirectory, options.Plugins, loggerFactory.CreateLogger<PluginCatalog>());
        var registry = new DriverRegistry(catalog, new PluginActivator(options.Plugins, loggerFactory.CreateLogger<PluginActivator>()));
        foreach (var factory in options.Factories)
        {
            registry.Register(factory, "in-process");
        }

        var meter = meterFactory?.Create(new System.Diagnostics.Metrics.MeterOptions(StorageTelemetry.Name) { Version = typeof(StorageHost).Assembly.GetName().Version?.ToString() });
        return new StorageHost(options, registry, loggerFactory, timeProvider ?? TimeProvider.System, meter);
    }

    /// <summary>
    /// The driver <paramref name="configuration"/>'s <c>storage:</c> section selects, with the
    /// decorators its <c>middleware:</c> section configures; without a storage section, the
    /// built-in default (filesystem under <c>./data</c>, or inmemory when that plugin is absent).
    /// </summary>
    /// <param name="configuration">The configuration (file, environment, overrides).</param>
    /// <param name="source">Where the configuration came from, for messages (a file path).</param>
    /// <param name="cancellationToken">Cancels plugin loading and driver creation.</param>
    public async Task<ConfiguredDriver> CreateDriverAsync(IConfiguration configuration, string? source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var selection = StorageConfiguration.Select(configuration);
        var origin = source ?? (configuration["storage"] is { Length: > 0 } ? "environment (REGISTRY_STORAGE)" : "environment");
        if (selection is null)
        {
            var names = Registry.Names;
            var name = names.Contains(HostDefaults.DriverName, StringComparer.OrdinalIgnoreCase) ? HostDefaults.DriverName
                : names.Contains(HostDefaults.FallbackDriverName, StringComparer.OrdinalIgnoreCase) ? HostDefaults.FallbackDriverName
                : throw new InvalidOperationException($"no storage section is configured and the built-in default needs the {HostDefaults.DriverName} (or {HostDefaults.FallbackDriverName}) plugin, which {Options.PluginsDirectory} does not provide"
                    + (Catalog.WhyNot(HostDefaults.DriverName) is { } why ? $": {why}" : ""));
            selection = new StorageSelection(name, name == HostDefaults.DriverName ? HostDefaults.FilesystemParameters : new Dictionary<string, object?>());
            origin = name == HostDefaults.DriverName ? DefaultSource : FallbackSource;
        }

        return await CreateDriverAsync(selection, MiddlewareConfiguration.Read(configuration), origin, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Creates the selected driver with the given decorators.</summary>
    public async Task<ConfiguredDriver> CreateDriverAsync(StorageSelection selection, DecoratorOptions decorators, string source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(selection);
        var factory = await Registry.GetFactoryAsync(selection.DriverName, cancellationToken).ConfigureAwait(false);
        var parameters = new DriverParameters(factory.Name, selection.Parameters, factory.Parameters.Where(p => p.Secret).Select(p => p.Name)) { TimeProvider = _timeProvider };
        var driver = await Registry.CreateAsync(selection.DriverName, parameters, cancellationToken).ConfigureAwait(false);
        return new ConfiguredDriver(StorageDecorators.Apply(driver, decorators, _loggerFactory, _timeProvider, _meter), parameters, source);
    }
}
