using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Registry.Storage.Hosting.Configuration;
using Registry.Storage.Hosting.Decorators;
using Registry.Storage.Hosting.Plugins;

namespace Registry.Storage.Host.Cli;

/// <summary>The loaded host for one command: plugins, registry, configuration and logging.</summary>
internal sealed class HostSession : IDisposable
{
    private HostSession(GlobalSettings settings, ILoggerFactory loggerFactory, DriverRegistry registry, IReadOnlyList<PluginLoadResult> plugins, IConfigurationRoot configuration, string? configFile)
    {
        Settings = settings;
        LoggerFactory = loggerFactory;
        Registry = registry;
        Plugins = plugins;
        Configuration = configuration;
        ConfigFile = configFile;
    }

    public GlobalSettings Settings { get; }

    public ILoggerFactory LoggerFactory { get; }

    public DriverRegistry Registry { get; }

    public IReadOnlyList<PluginLoadResult> Plugins { get; }

    public IConfigurationRoot Configuration { get; }

    /// <summary>The configuration file in use, or null for the built-in default.</summary>
    public string? ConfigFile { get; }

    public static HostSession Open(GlobalSettings settings)
    {
        // Log to stderr only (every level): stdout carries command output (cat, --output json).
        var loggerFactory = Microsoft.Extensions.Logging.LoggerFactory.Create(builder => builder
            .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace)
            .AddSimpleConsole(o => o.SingleLine = true)
            .AddFilter(level => level >= (settings.Verbose ? LogLevel.Debug : LogLevel.Error)));

        var configFile = settings.ConfigFile ?? (File.Exists(HostDefaults.ConfigFileName) ? HostDefaults.ConfigFileName : null);
        var configuration = StorageConfiguration.Build(configFile);

        // Trust (folder permissions, plugins:allowedsha256) comes from configuration.
        var registry = new DriverRegistry();
        var scanner = new PluginScanner(loggerFactory.CreateLogger<PluginScanner>()) { Trust = PluginTrustOptions.FromConfiguration(configuration) };
        var plugins = scanner.LoadAll(settings.PluginsDirectory, registry);
        return new HostSession(settings, loggerFactory, registry, plugins, configuration, configFile);
    }

    /// <summary>The configured driver, or the built-in default (filesystem under ./data; inmemory when that plugin is missing).</summary>
    public async Task<ConfiguredDriver> CreateConfiguredDriverAsync(CancellationToken cancellationToken)
    {
        var selection = StorageConfiguration.Select(Configuration);
        var source = ConfigFile is null ? "built-in default" : Path.GetFullPath(ConfigFile);
        if (selection is null)
        {
            if (Registry.Find(HostDefaults.DriverName) is not null)
            {
                selection = new StorageSelection(HostDefaults.DriverName, HostDefaults.FilesystemParameters);
            }
            else
            {
                await Console.Error.WriteLineAsync($"regstore: warning: the {HostDefaults.DriverName} plugin is not loaded; using the {HostDefaults.FallbackDriverName} driver (nothing is kept after exit)").ConfigureAwait(false);
                selection = new StorageSelection(HostDefaults.FallbackDriverName, new Dictionary<string, object?>());
            }

            source = "built-in default";
        }

        var factory = Registry.Find(selection.DriverName) ?? throw new InvalidStorageDriverException(selection.DriverName, Registry.Names);
        var parameters = DriverRegistry.ParametersFor(factory, selection.Parameters);
        var driver = await Registry.CreateAsync(selection.DriverName, parameters, cancellationToken).ConfigureAwait(false);

        // The same decorators and URL middleware a registry gets through AddRegistryStorage.
        driver = StorageDecorators.Apply(driver, MiddlewareConfiguration.Read(Configuration), LoggerFactory);
        return new ConfiguredDriver(driver, parameters, source);
    }

    public void Dispose() => LoggerFactory.Dispose();
}

/// <summary>A driver created from configuration, with the parameters it got and where they came from.</summary>
internal sealed record ConfiguredDriver(IStorageDriver Driver, DriverParameters Parameters, string Source);

/// <summary>Options every command understands.</summary>
internal sealed record GlobalSettings(string? ConfigFile, string PluginsDirectory, bool Json, bool Verbose);
