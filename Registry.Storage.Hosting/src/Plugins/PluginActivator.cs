using System.Reflection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Registry.Storage.Hosting.Plugins;

/// <summary>
/// Loads a plugin when — and only when — one of its drivers is selected: the whole folder's
/// trust is checked again (permissions, manifest digest), the assembly goes into its own load
/// context sharing only the contract, and the one declared factory type is constructed. Every
/// step is bounded by the call limit; the factory's runtime name must match its declaration.
/// </summary>
public sealed class PluginActivator(PluginCatalogOptions options, ILogger? logger = null)
{
    private readonly ILogger _logger = logger ?? NullLogger.Instance;
    private readonly Dictionary<string, Task<Assembly>> _assemblies = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>Loads <paramref name="plugin"/> and creates the factory of <paramref name="driver"/>.</summary>
    /// <exception cref="PluginLoadException">The plugin is distrusted, broken, too slow, or its factory disagrees with its metadata.</exception>
    public async Task<IStorageDriverFactory> ActivateAsync(PluginEntry plugin, DeclaredDriver driver, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plugin);
        ArgumentNullException.ThrowIfNull(driver);
        var assembly = await LoadAsync(plugin, cancellationToken).ConfigureAwait(false);
        var factory = await PluginCall.RunAsync(plugin.Folder, $"{driver.FactoryType}: loading and constructing the factory", options.CallTimeout, () =>
        {
            var type = assembly.GetType(driver.FactoryType, throwOnError: true)!;
            return Task.FromResult(Construct(type));
        }, cancellationToken).ConfigureAwait(false);

        var (name, aliases) = await PluginCall.RunAsync(plugin.Folder, $"{driver.FactoryType}: Name and Aliases", options.CallTimeout,
            () => Task.FromResult((factory.Name, (IReadOnlyList<string>)factory.Aliases.ToArray())), cancellationToken).ConfigureAwait(false);
        if (!string.Equals(name, driver.Name, StringComparison.OrdinalIgnoreCase)
            || !aliases.Order(StringComparer.OrdinalIgnoreCase).SequenceEqual(driver.Aliases.Order(StringComparer.OrdinalIgnoreCase), StringComparer.OrdinalIgnoreCase))
        {
            throw new PluginLoadException(plugin.Folder, $"{driver.FactoryType} declares driver '{Names(driver.Name, driver.Aliases)}' in its metadata but calls itself '{Names(name, aliases)}' when loaded; refused");
        }

        if (_logger.IsEnabled(LogLevel.Debug))
        {
            _logger.LogDebug("Plugin {Folder} loaded for driver {Driver}", plugin.Folder, driver.Name);
        }
        return new BoundedFactory(factory, plugin.Folder, driver.Name, driver.Aliases, options.CallTimeout);
    }

    /// <summary>
    /// Loads a plugin built before contract 1.1 (no <see cref="StorageDriverAttribute"/>) and
    /// returns its factories; used only for a folder configuration pins a name to, or one
    /// named explicitly (the conformance runner).
    /// </summary>
    public async Task<IReadOnlyList<IStorageDriverFactory>> ActivateUndeclaredAsync(PluginEntry plugin, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plugin);
        var assembly = await LoadAsync(plugin, cancellationToken).ConfigureAwait(false);
        var types = await PluginCall.RunAsync(plugin.Folder, "reading the plugin's types", options.CallTimeout,
            () => Task.FromResult(assembly.GetExportedTypes().Where(t => typeof(IStorageDriverFactory).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false }).ToArray()),
            cancellationToken).ConfigureAwait(false);
        if (types.Length == 0)
        {
            throw new PluginLoadException(plugin.Folder, $"{Path.GetFileName(plugin.AssemblyPath)} exports no public {nameof(IStorageDriverFactory)} implementation");
        }

        var factories = new List<IStorageDriverFactory>();
        foreach (var type in types)
        {
            var factory = await PluginCall.RunAsync(plugin.Folder, $"{type.FullName}: constructing the factory", options.CallTimeout, () => Task.FromResult(Construct(type)), cancellationToken).ConfigureAwait(false);
            var (name, aliases) = await PluginCall.RunAsync(plugin.Folder, $"{type.FullName}: Name and Aliases", options.CallTimeout,
                () => Task.FromResult((factory.Name, (IReadOnlyList<string>)factory.Aliases.ToArray())), cancellationToken).ConfigureAwait(false);
            factories.Add(new BoundedFactory(factory, plugin.Folder, name, aliases, options.CallTimeout));
        }

        return factories;
    }

    private Task<Assembly> LoadAsync(PluginEntry plugin, CancellationToken cancellationToken)
    {
        if (plugin.Error is { } error)
        {
            throw new PluginLoadException(plugin.Folder, error);
        }

        lock (_gate)
        {
            if (!_assemblies.TryGetValue(plugin.Folder, out var loading) || loading.IsFaulted || loading.IsCanceled)
            {
                loading = LoadCoreAsync(plugin, cancellationToken);
                _assemblies[plugin.Folder] = loading;
            }

            return loading;
        }
    }

    private async Task<Assembly> LoadCoreAsync(PluginEntry plugin, CancellationToken cancellationToken)
    {
        // Checked again right before loading: the folder may have changed since discovery, and the
        // allow-list's digest covers every loadable file (a swapped dependency is refused here).
        if (PluginCatalog.FileProblem(plugin.Folder, options.Trust) is { } distrust)
        {
            throw new PluginLoadException(plugin.Folder, distrust);
        }

        var assemblyPath = plugin.AssemblyPath ?? throw new PluginLoadException(plugin.Folder, "no plugin assembly");
        return await PluginCall.RunAsync(plugin.Folder, $"loading {Path.GetFileName(assemblyPath)}", options.CallTimeout, () =>
        {
            var context = new PluginLoadContext(assemblyPath);
            return Task.FromResult(context.LoadMain());
        }, cancellationToken).ConfigureAwait(false);
    }

    private static IStorageDriverFactory Construct(Type type)
    {
        if (type.GetConstructor(Type.EmptyTypes) is null)
        {
            throw new MissingMethodException($"{type.FullName} has no public parameterless constructor");
        }

        return Activator.CreateInstance(type) as IStorageDriverFactory
            ?? throw new InvalidCastException($"{type.FullName} does not implement {nameof(IStorageDriverFactory)} of this host's contract");
    }

    private static string Names(string name, IEnumerable<string> aliases) =>
        aliases.Any() ? $"{name} (aliases {string.Join(", ", aliases)})" : name;
}
