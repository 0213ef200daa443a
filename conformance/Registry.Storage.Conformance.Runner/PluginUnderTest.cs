using Registry.Storage.Conformance;
using Registry.Storage.Hosting.Plugins;

namespace Registry.Storage.Conformance.Runner;

/// <summary>
/// A plugin folder loaded for <c>conformance</c> or <c>bench</c>, exactly as the host loads
/// plugins in production, with the driver's parameters from <c>REGSTORE_TEST_&lt;DRIVER&gt;_*</c>
/// and <c>--param key=value</c>, and a factory of drivers isolated under a fresh root each.
/// </summary>
internal sealed class PluginUnderTest
{
    private readonly DriverRegistry _registry;
    private readonly Dictionary<string, object?> _values;
    private readonly string _baseRoot;

    private PluginUnderTest(DriverRegistry registry, PluginLoadResult plugin, IStorageDriverFactory factory, Dictionary<string, object?> values)
    {
        _registry = registry;
        Plugin = plugin;
        Factory = factory;
        _values = values;
        _baseRoot = values.TryGetValue("rootdirectory", out var root) && root is string { Length: > 0 } r ? r : DefaultRoot;
        DeclaresRoot = factory.Parameters.Any(p => string.Equals(p.Name, "rootdirectory", StringComparison.OrdinalIgnoreCase));
    }

    public PluginLoadResult Plugin { get; }

    /// <summary>Whether the driver declares <c>rootdirectory</c>: only then does each run get a fresh root of its own.</summary>
    public bool DeclaresRoot { get; }

    public IStorageDriverFactory Factory { get; }

    /// <summary>Where the per-run roots go: the given rootdirectory, or a temp folder (filesystem) / the bucket root (object stores).</summary>
    public string BaseRoot => _baseRoot.Length == 0 ? "/" : _baseRoot;

    /// <summary>Loads <paramref name="folder"/>; on failure prints why and returns null with the exit code to use.</summary>
    public static async Task<(PluginUnderTest? Plugin, int ExitCode)> LoadAsync(string folder, string? driverName, IEnumerable<string> parameters)
    {
        var registry = new DriverRegistry();
        var loaded = new PluginScanner().Load(folder, registry);
        if (loaded.Status == PluginStatus.Failed)
        {
            return (null, await RunnerOutput.FailAsync($"plugin {loaded.Folder} failed to load: {loaded.Error}", ExitCodes.Plugin).ConfigureAwait(false));
        }

        var name = driverName ?? (loaded.Factories.Count == 1 ? loaded.Factories[0].Name : null);
        if (name is null || registry.Find(name) is not { } factory)
        {
            return (null, await RunnerOutput.FailAsync($"choose a driver with --driver: the plugin registers {string.Join(", ", loaded.DriverNames)}", ExitCodes.Usage).ConfigureAwait(false));
        }

        var values = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in ConformanceEnvironment.ParametersFor(factory.Name) ?? Enumerable.Empty<KeyValuePair<string, object?>>())
        {
            values[key] = value;
        }

        foreach (var pair in parameters)
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                return (null, await RunnerOutput.FailAsync($"--param expects key=value, got '{pair}'", ExitCodes.Usage).ConfigureAwait(false));
            }

            values[pair[..equals]] = pair[(equals + 1)..];
        }

        return (new PluginUnderTest(registry, loaded, factory, values), ExitCodes.Ok);
    }

    /// <summary>Creates the driver rooted at <c>&lt;base root&gt;/&lt;rootName&gt;</c>, through the registry (so validation wraps it as in production).</summary>
    public async ValueTask<IStorageDriver> CreateDriverAsync(string rootName, CancellationToken cancellationToken)
    {
        // A driver that rejects unknown parameters must never get one it did not declare.
        var perRun = new Dictionary<string, object?>(_values, StringComparer.OrdinalIgnoreCase);
        if (DeclaresRoot)
        {
            perRun["rootdirectory"] = _baseRoot.TrimEnd('/') + "/" + rootName;
        }

        return await _registry.CreateAsync(Factory.Name, perRun, cancellationToken).ConfigureAwait(false);
    }

    public string Describe() =>
        $"driver {Factory.Name} from {Plugin.Folder} (plugin {Plugin.Version}, contract {Plugin.ContractVersion?.ToString(2)}); "
        + (DeclaresRoot ? $"roots under {BaseRoot}" : "no rootdirectory parameter: every run shares the driver's namespace");

    // Under the temp folder whatever the driver: a local-folder driver must never write at the
    // filesystem's root, and for an object store it is merely a key prefix.
    private static string DefaultRoot => Path.Combine(Path.GetTempPath(), "regstore-conformance");
}
