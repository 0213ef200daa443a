using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Registry.Storage.Hosting.Plugins;

/// <summary>
/// Loads one plugin folder named explicitly (the conformance runner, the bench): every driver it
/// declares — or, for a plugin built before contract 1.1, every factory it exports — is loaded
/// with the same trust checks and call limits as a selected plugin, and registered in a
/// <see cref="DriverRegistry"/>. Production hosts use <see cref="PluginCatalog"/> instead, which
/// loads nothing until a driver is selected.
/// </summary>
public sealed class PluginScanner(ILogger<PluginScanner>? logger = null)
{
    private readonly ILogger _logger = logger ?? (ILogger)NullLogger.Instance;

    /// <summary>The trust demanded and the limit on every call into the plugin.</summary>
    public PluginCatalogOptions Options { get; init; } = new();

    /// <summary>Loads <paramref name="folder"/> into <paramref name="registry"/>.</summary>
    public PluginLoadResult Load(string folder, DriverRegistry registry) =>
        LoadAsync(folder, registry, CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>Loads <paramref name="folder"/> into <paramref name="registry"/>.</summary>
    public async Task<PluginLoadResult> LoadAsync(string folder, DriverRegistry registry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var full = Path.GetFullPath(folder);
        var result = System.IO.Directory.Exists(full)
            ? await LoadCoreAsync(PluginCatalog.Inspect(full, Options.Trust), registry, cancellationToken).ConfigureAwait(false)
            : new PluginLoadResult(full, PluginStatus.Failed) { Error = "no such plugin folder" };
        if (result.Status == PluginStatus.Failed)
        {
            _logger.LogWarning("Plugin {Folder} skipped: {Error}", result.Folder, result.Error);
        }

        return result;
    }

    private async Task<PluginLoadResult> LoadCoreAsync(PluginEntry entry, DriverRegistry registry, CancellationToken cancellationToken)
    {
        var failed = new PluginLoadResult(entry.Folder, PluginStatus.Failed) { AssemblyPath = entry.AssemblyPath, Version = entry.Version, ContractVersion = entry.ContractVersion, Error = entry.Error };
        if (entry.Error is not null)
        {
            return failed;
        }

        var activator = new PluginActivator(Options, _logger);
        var factories = new List<IStorageDriverFactory>();
        var errors = new List<string>();
        try
        {
            if (entry.Undeclared)
            {
                factories.AddRange(await activator.ActivateUndeclaredAsync(entry, cancellationToken).ConfigureAwait(false));
            }
            else
            {
                foreach (var driver in entry.Drivers)
                {
                    try
                    {
                        factories.Add(await activator.ActivateAsync(entry, driver, cancellationToken).ConfigureAwait(false));
                    }
                    catch (PluginLoadException ex)
                    {
                        errors.Add(ex.Problem);
                    }
                }
            }
        }
        catch (PluginLoadException ex)
        {
            return failed with { Error = ex.Problem };
        }

        var registered = new List<IStorageDriverFactory>();
        foreach (var factory in factories)
        {
            try
            {
                registry.Register(factory, $"plugin '{entry.Name}'");
                registered.Add(factory);
            }
            catch (Exception ex) when (ex is DuplicateDriverException or ArgumentException)
            {
                errors.Add(ex.Message);
            }
        }

        return new PluginLoadResult(entry.Folder, registered.Count > 0 ? PluginStatus.Loaded : PluginStatus.Failed)
        {
            AssemblyPath = entry.AssemblyPath,
            Version = entry.Version,
            ContractVersion = entry.ContractVersion,
            Factories = registered,
            DriverNames = registered.SelectMany(f => new[] { f.Name }.Concat(f.Aliases)).ToArray(),
            Error = errors.Count == 0 ? null : string.Join("; ", errors),
        };
    }
}
