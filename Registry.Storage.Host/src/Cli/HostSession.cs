using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Registry.Storage.Hosting.Configuration;

namespace Registry.Storage.Host.Cli;

/// <summary>The host for one command: configuration, logging and a <see cref="StorageHost"/> (discovery only; a plugin loads when its driver is selected).</summary>
internal sealed class HostSession : IDisposable
{
    private HostSession(GlobalSettings settings, ILoggerFactory loggerFactory, StorageHost host, IConfigurationRoot configuration, string? configFile)
    {
        Settings = settings;
        LoggerFactory = loggerFactory;
        Host = host;
        Configuration = configuration;
        ConfigFile = configFile;
    }

    public GlobalSettings Settings { get; }

    public ILoggerFactory LoggerFactory { get; }

    /// <summary>The one path from configuration to a driver.</summary>
    public StorageHost Host { get; }

    public IConfigurationRoot Configuration { get; }

    /// <summary>The configuration file in use, or null for the built-in default.</summary>
    public string? ConfigFile { get; }

    public static HostSession Open(GlobalSettings settings)
    {
        // Log to stderr only (every level): stdout carries command output (cat, --output json).
        // Built directly, not through LoggerFactory.Create: that builds a service container (~15 ms of start-up).
        var loggerFactory = new LoggerFactory([new StderrLoggerProvider()], new LoggerFilterOptions { MinLevel = settings.Verbose ? LogLevel.Debug : LogLevel.Error });

        var configFile = settings.ConfigFile ?? (File.Exists(HostDefaults.ConfigFileName) ? HostDefaults.ConfigFileName : null);
        var configuration = StorageConfiguration.Build(configFile, settings.Overrides);
        var host = StorageHost.Create(StorageHostOptions.FromConfiguration(configuration, settings.PluginsDirectory), loggerFactory);
        return new HostSession(settings, loggerFactory, host, configuration, configFile);
    }

    /// <summary>The configured driver, or the built-in default (filesystem under ./data; inmemory when that plugin is missing).</summary>
    public async Task<ConfiguredDriver> CreateConfiguredDriverAsync(CancellationToken cancellationToken)
    {
        if (Settings.ConfigFile is not null && StorageConfiguration.Select(Configuration) is null)
        {
            // An explicit --config that selects nothing is a mistake, never a reason to write to ./data.
            throw new InvalidOperationException($"{Path.GetFullPath(Settings.ConfigFile)} has no storage section: expected storage: {{ <driver>: {{ ... }} }}");
        }

        var configured = await Host.CreateDriverAsync(Configuration, ConfigFile is null ? null : Path.GetFullPath(ConfigFile), cancellationToken).ConfigureAwait(false);
        if (configured.Source == StorageHost.FallbackSource)
        {
            await Console.Error.WriteLineAsync($"regstore: warning: the {HostDefaults.DriverName} plugin is not available; using the {HostDefaults.FallbackDriverName} driver (nothing is kept after exit)").ConfigureAwait(false);
        }

        return configured;
    }

    public void Dispose() => LoggerFactory.Dispose();
}

/// <summary>Options every command understands.</summary>
internal sealed record GlobalSettings(string? ConfigFile, string? PluginsDirectory, bool Json, bool Verbose)
{
    /// <summary>Configuration overrides from <c>--set storage:filesystem:rootdirectory=/x</c>, in the command-line provider's syntax.</summary>
    public IReadOnlyList<string> Overrides { get; init; } = [];
}
