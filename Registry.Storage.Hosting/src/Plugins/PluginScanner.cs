using System.Reflection;
using McMaster.NETCore.Plugins;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Registry.Storage.Hosting.Plugins;

/// <summary>
/// Finds driver plugins — one folder each under a plugins directory — loads each into its
/// own <see cref="System.Runtime.Loader.AssemblyLoadContext"/> (McMaster.NETCore.Plugins)
/// sharing only the contract assembly, and registers every exported
/// <see cref="IStorageDriverFactory"/>. A broken plugin is reported and skipped; it never
/// stops the others or the host.
/// </summary>
public sealed class PluginScanner(ILogger<PluginScanner>? logger = null)
{
    /// <summary>How long a factory constructor may run before the plugin is reported as hung.</summary>
    public TimeSpan ConstructorTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>What a plugin must satisfy before it is loaded (ownership, mode bits, hash allow-list).</summary>
    public PluginTrustOptions Trust { get; init; } = PluginTrustOptions.Default;

    private readonly ILogger _logger = logger ?? (ILogger)NullLogger.Instance;

    /// <summary>Loads every plugin folder under <paramref name="pluginsDirectory"/> into <paramref name="registry"/>.</summary>
    public IReadOnlyList<PluginLoadResult> LoadAll(string pluginsDirectory, DriverRegistry registry)
    {
        if (!Directory.Exists(pluginsDirectory))
        {
            _logger.LogWarning("Plugins directory {Directory} does not exist; no plugins loaded", pluginsDirectory);
            return [];
        }

        if (PluginTrust.CheckPermissions(pluginsDirectory, Trust) is { } distrusted)
        {
            _logger.LogError("Plugins directory skipped: {Error}", distrusted);
            return [new PluginLoadResult(Path.GetFullPath(pluginsDirectory), PluginStatus.Failed) { Error = distrusted }];
        }

        return Directory.GetDirectories(pluginsDirectory)
            .Order(StringComparer.Ordinal)
            .Select(folder => Load(folder, registry))
            .ToArray();
    }

    /// <summary>Loads one plugin folder into <paramref name="registry"/>.</summary>
    public PluginLoadResult Load(string folder, DriverRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var result = LoadCore(Path.GetFullPath(folder), registry);
        if (result.Status == PluginStatus.Failed)
        {
            _logger.LogWarning("Plugin {Folder} skipped: {Error}", result.Folder, result.Error);
        }
        else if (_logger.IsEnabled(LogLevel.Debug))
        {
            _logger.LogDebug("Plugin {Folder} loaded: {Drivers}", result.Folder, string.Join(", ", result.DriverNames));
        }

        return result;
    }

    private PluginLoadResult LoadCore(string folder, DriverRegistry registry)
    {
        var failed = new PluginLoadResult(folder, PluginStatus.Failed);
        if (FindMainAssembly(folder, out var problem) is not { } assemblyPath)
        {
            return failed with { Error = problem };
        }

        failed = failed with { AssemblyPath = assemblyPath };
        if (PluginTrust.CheckPlugin(folder, assemblyPath, Trust) is { } distrust)
        {
            return failed with { Error = distrust };
        }

        Assembly assembly;
        try
        {
            var loader = PluginLoader.CreateFromAssemblyFile(
                assemblyPath,
                sharedTypes: [typeof(IStorageDriverFactory)],
                configure: config =>
                {
                    // Only the contract is shared; a plugin's own dependencies always come from
                    // its folder, whatever the host ships (services.md's PreferSharedTypes trap).
                    config.PreferSharedTypes = false;
                });
            assembly = loader.LoadDefaultAssembly();
        }
        catch (Exception ex) when (ex is BadImageFormatException or FileLoadException or FileNotFoundException or IOException or InvalidOperationException)
        {
            return failed with { Error = $"cannot load {Path.GetFileName(assemblyPath)}: {Describe(ex)}" };
        }

        var version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? assembly.GetName().Version?.ToString();
        var contract = assembly.GetReferencedAssemblies()
            .FirstOrDefault(a => a.Name == typeof(IStorageDriver).Assembly.GetName().Name)?.Version;
        failed = failed with { Version = version, ContractVersion = contract };
        if (contract is null)
        {
            return failed with { Error = $"{Path.GetFileName(assemblyPath)} does not reference Registry.Storage.Abstractions: not a driver plugin" };
        }

        if (!StorageDriverContract.IsCompatible(contract))
        {
            return failed with
            {
                Error = $"built against contract {contract.Major}.{contract.Minor}, but this host implements {StorageDriverContract.Version.Major}.{StorageDriverContract.Version.Minor}: "
                    + (contract.Major != StorageDriverContract.Major ? "the major versions differ" : "the plugin needs a newer host")
                    + "; rebuild the plugin against a compatible Registry.Storage.Abstractions",
            };
        }

        Type[] factoryTypes;
        try
        {
            factoryTypes = assembly.GetExportedTypes()
                .Where(t => typeof(IStorageDriverFactory).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
                .ToArray();
        }
        catch (Exception ex) when (ex is ReflectionTypeLoadException or FileNotFoundException or FileLoadException or TypeLoadException or BadImageFormatException)
        {
            return failed with { Error = $"cannot read the types of {Path.GetFileName(assemblyPath)} (a dependency is missing or broken): {Describe(ex)}" };
        }

        if (factoryTypes.Length == 0)
        {
            return failed with { Error = $"{Path.GetFileName(assemblyPath)} exports no public {nameof(IStorageDriverFactory)} implementation" };
        }

        var factories = new List<IStorageDriverFactory>();
        var errors = new List<string>();
        foreach (var type in factoryTypes)
        {
            try
            {
                var factory = Construct(type);
                registry.Register(factory, $"plugin '{Path.GetFileName(folder)}'");
                factories.Add(factory);
            }
            catch (Exception ex)
            {
                errors.Add($"{type.FullName}: {Describe(ex)}");
            }
        }

        var loaded = new PluginLoadResult(folder, factories.Count > 0 ? PluginStatus.Loaded : PluginStatus.Failed)
        {
            AssemblyPath = assemblyPath,
            Version = version,
            ContractVersion = contract,
            Factories = factories,
            DriverNames = factories.SelectMany(f => new[] { f.Name }.Concat(f.Aliases)).ToArray(),
            Error = errors.Count == 0 ? null : string.Join("; ", errors),
        };
        return loaded;
    }

    private IStorageDriverFactory Construct(Type type)
    {
        if (type.GetConstructor(Type.EmptyTypes) is null)
        {
            throw new MissingMethodException($"{type.FullName} has no public parameterless constructor");
        }

        // A constructor that hangs must not hang the host: give it a bounded time on the pool.
        var construction = Task.Run(() => (IStorageDriverFactory)Activator.CreateInstance(type)!);
        if (!construction.Wait(ConstructorTimeout))
        {
            throw new TimeoutException($"the factory constructor did not return within {ConstructorTimeout.TotalSeconds:0} s");
        }

        return construction.Result;
    }

    /// <summary>
    /// The plugin's main assembly: the one named by the folder's single <c>*.deps.json</c>
    /// (what <c>dotnet publish</c> writes), else <c>&lt;folder&gt;.dll</c>, else the only DLL.
    /// </summary>
    private static string? FindMainAssembly(string folder, out string? problem)
    {
        problem = null;
        var deps = Directory.GetFiles(folder, "*.deps.json");
        if (deps.Length == 1)
        {
            var candidate = deps[0][..^".deps.json".Length] + ".dll";
            if (File.Exists(candidate))
            {
                return candidate;
            }

            problem = $"{Path.GetFileName(deps[0])} names {Path.GetFileName(candidate)}, which is missing";
            return null;
        }

        var named = Path.Combine(folder, Path.GetFileName(folder) + ".dll");
        if (File.Exists(named))
        {
            return named;
        }

        var dlls = Directory.GetFiles(folder, "*.dll");
        if (dlls.Length == 1)
        {
            return dlls[0];
        }

        problem = dlls.Length == 0
            ? "no plugin assembly: the folder holds no .dll"
            : $"cannot tell the plugin's main assembly among {dlls.Length} DLLs: publish it with its .deps.json";
        return null;
    }

    private static string Describe(Exception ex)
    {
        while (ex is TargetInvocationException or AggregateException && ex.InnerException is not null)
        {
            ex = ex.InnerException;
        }

        if (ex is ReflectionTypeLoadException typeLoad && typeLoad.LoaderExceptions.FirstOrDefault(e => e is not null) is { } first)
        {
            return Describe(first);
        }

        return $"{ex.GetType().Name}: {ex.Message}";
    }
}
