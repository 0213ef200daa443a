using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Registry.Storage.Hosting.Plugins;

/// <summary>
/// Which plugin folder serves which driver name, found from files and metadata alone: no load
/// context is created and no plugin code runs. Names declared by bundled plugins win; any other
/// clash refuses every claimant unless configuration pins the name to one folder.
/// </summary>
public sealed class PluginCatalog
{
    private readonly Dictionary<string, (PluginEntry Plugin, DeclaredDriver Driver)> _byName;

    private PluginCatalog(string directory, IReadOnlyList<PluginEntry> plugins, PluginCatalogOptions options)
    {
        Directory = directory;
        Options = options;
        (Plugins, _byName) = Resolve(plugins, options);
    }

    /// <summary>The plugins directory scanned.</summary>
    public string Directory { get; }

    /// <summary>The options discovery ran with (trust, pins, call limit).</summary>
    public PluginCatalogOptions Options { get; }

    /// <summary>Every folder found, in ordinal order, with its declared drivers, refusals and errors.</summary>
    public IReadOnlyList<PluginEntry> Plugins { get; }

    /// <summary>The driver names some plugin serves, sorted.</summary>
    public IReadOnlyList<string> Names => _byName.Keys.Order(StringComparer.Ordinal).ToArray();

    /// <summary>Scans <paramref name="pluginsDirectory"/>; a missing directory gives an empty catalog.</summary>
    public static PluginCatalog Scan(string pluginsDirectory, PluginCatalogOptions? options = null, ILogger? logger = null)
    {
        options ??= new PluginCatalogOptions();
        logger ??= NullLogger.Instance;
        var directory = Path.GetFullPath(pluginsDirectory);
        if (!System.IO.Directory.Exists(directory))
        {
            logger.LogWarning("Plugins directory {Directory} does not exist; no plugins found", directory);
            return new PluginCatalog(directory, [], options);
        }

        if (PluginTrust.CheckPermissions(directory, options.Trust) is { } distrusted)
        {
            return new PluginCatalog(directory, [new PluginEntry(directory) { Error = distrusted }], options);
        }

        var entries = new List<PluginEntry>();
        IEnumerable<FileSystemInfo> children;
        try
        {
            children = new DirectoryInfo(directory).EnumerateFileSystemInfos().OrderBy(c => c.Name, StringComparer.Ordinal).ToArray();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new PluginCatalog(directory, [new PluginEntry(directory) { Error = $"cannot list the plugins directory: {ex.Message}" }], options);
        }

        foreach (var child in children)
        {
            if (Entry(child, options) is { } entry)
            {
                if (entry.Error is not null)
                {
                    logger.LogWarning("Plugin {Folder} unusable: {Error}", entry.Folder, entry.Error);
                }

                entries.Add(entry);
            }
        }

        return new PluginCatalog(directory, entries, options);
    }

    /// <summary>The plugin and declared driver serving <paramref name="name"/>, or null.</summary>
    public (PluginEntry Plugin, DeclaredDriver Driver)? Find(string name) =>
        _byName.TryGetValue(name, out var found) ? found : null;

    /// <summary>Why no plugin serves <paramref name="name"/> although some folder claims it (a clash, a broken plugin), or null.</summary>
    public string? WhyNot(string name)
    {
        var reasons = Plugins.Select(p => p.Refused.TryGetValue(name, out var why) ? why : null)
            .Concat(Plugins.Where(p => p.Error is not null && p.Drivers.Any(d => d.AllNames.Contains(name, StringComparer.OrdinalIgnoreCase))).Select(p => $"{p.Folder}: {p.Error}"))
            .OfType<string>().Distinct().ToArray();
        if (reasons.Length > 0)
        {
            return string.Join("; ", reasons);
        }

        var pinned = Options.Pins.TryGetValue(name, out var pin) ? Plugins.FirstOrDefault(p => Matches(p, pin)) : null;
        return pinned switch
        {
            { Error: { } error } => $"plugins:pin:{name} names {pinned.Folder}, which is unusable: {error}",
            { Undeclared: true } => null, // loaded on demand by the registry
            null when pin is not null => $"plugins:pin:{name} names '{pin}', which is no folder under {Directory}",
            _ => null,
        };
    }

    /// <summary>The undeclared (pre-1.1) plugin configuration pins <paramref name="name"/> to, or null.</summary>
    public PluginEntry? PinnedUndeclared(string name) =>
        Options.Pins.TryGetValue(name, out var pin) ? Plugins.FirstOrDefault(p => p.Undeclared && Matches(p, pin)) : null;

    /// <summary>Inspects one plugin folder: main assembly, metadata files, permissions and declared drivers; runs nothing.</summary>
    public static PluginEntry Inspect(string folder, PluginTrustOptions trust) => Inspect(folder, trust, checkFiles: true);

    /// <summary>
    /// Inspects one plugin folder; with <paramref name="checkFiles"/> also every loadable file's
    /// permissions and every <c>*.deps.json</c>'s shape (always done again before the plugin loads).
    /// </summary>
    public static PluginEntry Inspect(string folder, PluginTrustOptions trust, bool checkFiles)
    {
        ArgumentNullException.ThrowIfNull(trust);
        var entry = new PluginEntry(Path.GetFullPath(folder));
        try
        {
            if (FindMainAssembly(entry.Folder, out var missing) is not { } assemblyPath)
            {
                return entry with { Error = missing };
            }

            entry = entry with { AssemblyPath = assemblyPath };
            // Unselected plugins need only their folder and main assembly checked; every file is checked before a load.
            var problem = checkFiles
                ? FileProblem(entry.Folder, trust with { AllowedSha256 = null })
                : PluginTrust.CheckPermissions(entry.Folder, trust) ?? PluginTrust.CheckPermissions(assemblyPath, trust);
            if (problem is not null)
            {
                return entry with { Error = problem };
            }

            var metadata = PluginMetadata.Read(assemblyPath);
            entry = entry with { Version = metadata.Version, ContractVersion = metadata.ContractVersion, Drivers = metadata.Drivers };
            return ContractProblem(assemblyPath, metadata.ContractVersion) is { } contract ? entry with { Error = contract } : entry;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or BadImageFormatException)
        {
            return entry with { Error = $"cannot read the plugin{(entry.AssemblyPath is null ? "" : " assembly " + Path.GetFileName(entry.AssemblyPath))}: {ex.Message}" };
        }
    }

    /// <summary>
    /// What is wrong with the folder's files before any may load: a malformed <c>*.deps.json</c>, a
    /// file anyone but the host's user may write, or (with an allow-list) a manifest digest not on it.
    /// </summary>
    public static string? FileProblem(string folder, PluginTrustOptions trust)
    {
        ArgumentNullException.ThrowIfNull(trust);
        foreach (var deps in System.IO.Directory.GetFiles(folder, "*.deps.json"))
        {
            if (DepsJsonCheck.Problem(deps) is { } malformed)
            {
                return malformed;
            }
        }

        return PluginTrust.CheckPlugin(folder, trust);
    }

    /// <summary>Why a plugin compiled against <paramref name="contract"/> cannot run on this host, or null.</summary>
    public static string? ContractProblem(string assemblyPath, Version? contract)
    {
        if (contract is null)
        {
            return $"{Path.GetFileName(assemblyPath)} does not reference Registry.Storage.Abstractions: not a driver plugin";
        }

        return StorageDriverContract.IsCompatible(contract)
            ? null
            : $"built against contract {contract.Major}.{contract.Minor}, but this host implements {StorageDriverContract.Version.Major}.{StorageDriverContract.Version.Minor}: "
                + (contract.Major != StorageDriverContract.Major ? "the major versions differ" : "the plugin needs a newer host")
                + "; rebuild the plugin against a compatible Registry.Storage.Abstractions";
    }

    private static PluginEntry? Entry(FileSystemInfo child, PluginCatalogOptions options)
    {
        var path = child.FullName;
        if (child.LinkTarget is { } target)
        {
            FileSystemInfo? final;
            try
            {
                final = child.ResolveLinkTarget(returnFinalTarget: true);
            }
            catch (IOException ex)
            {
                return new PluginEntry(path) { Error = $"symbolic link to {target} cannot be followed (a loop?): {ex.Message}" };
            }

            if (final is null || !final.Exists)
            {
                return new PluginEntry(path) { Error = $"dangling symbolic link to {target}" };
            }

            if (final is not DirectoryInfo)
            {
                return null;
            }
        }
        else if (child is not DirectoryInfo)
        {
            return null; // a file beside the plugin folders (a README) is no plugin
        }

        try
        {
            _ = System.IO.Directory.EnumerateFileSystemEntries(path).Any();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new PluginEntry(path) { Error = $"the folder cannot be read: {ex.Message}" };
        }

        var entry = Inspect(path, options.Trust, options.CheckFilesAtDiscovery);
        return entry with { Bundled = options.BundledFolders.Contains(entry.Folder) };
    }

    private static (IReadOnlyList<PluginEntry>, Dictionary<string, (PluginEntry, DeclaredDriver)>) Resolve(IReadOnlyList<PluginEntry> plugins, PluginCatalogOptions options)
    {
        var claims = plugins.Where(p => p.Error is null)
            .SelectMany(p => p.Drivers.SelectMany(d => d.AllNames.Select(n => (Name: n, Plugin: p, Driver: d))))
            .GroupBy(c => c.Name, StringComparer.OrdinalIgnoreCase);
        var refused = plugins.ToDictionary(p => p.Folder, _ => new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase), StringComparer.Ordinal);
        foreach (var claim in claims)
        {
            var claimants = claim.ToArray();
            var winner = Winner(claim.Key, claimants.Select(c => c.Plugin).Distinct().ToArray(), options, out var reason);
            foreach (var (name, plugin, driver) in claimants.Where(c => c.Plugin != winner))
            {
                refused[plugin.Folder][driver.Name] = reason!;
            }
        }

        // A factory that lost any of its names (name or alias) is refused whole: half a driver is a trap.
        var resolved = plugins.Select(p => p with { Refused = refused[p.Folder] }).ToArray();
        var byName = new Dictionary<string, (PluginEntry, DeclaredDriver)>(StringComparer.OrdinalIgnoreCase);
        foreach (var plugin in resolved.Where(p => p.Error is null))
        {
            foreach (var driver in plugin.Drivers.Where(d => !plugin.Refused.ContainsKey(d.Name)))
            {
                foreach (var name in driver.AllNames)
                {
                    byName[name] = (plugin, driver);
                }
            }
        }

        return (resolved, byName);
    }

    private static PluginEntry? Winner(string name, PluginEntry[] claimants, PluginCatalogOptions options, out string? reason)
    {
        reason = null;
        if (claimants.Length == 1)
        {
            return claimants[0];
        }

        var folders = string.Join(" and ", claimants.Select(c => c.Folder));
        if (options.Pins.TryGetValue(name, out var pin) && claimants.FirstOrDefault(c => Matches(c, pin)) is { } pinned)
        {
            reason = $"driver name '{name}' is pinned to {pinned.Folder} (plugins:pin:{name})";
            return pinned;
        }

        var bundled = claimants.Where(c => c.Bundled).ToArray();
        if (bundled.Length == 1)
        {
            reason = $"driver name '{name}' belongs to the bundled plugin {bundled[0].Folder}; another folder may not claim it";
            return bundled[0];
        }

        reason = $"driver name '{name}' is claimed by {folders}: none of them is used; pin one with plugins:pin:{name}: <folder>";
        return null;
    }

    private static bool Matches(PluginEntry plugin, string pin) =>
        string.Equals(plugin.Name, pin, StringComparison.Ordinal)
        || string.Equals(plugin.Folder, Path.GetFullPath(pin).TrimEnd(Path.DirectorySeparatorChar), StringComparison.Ordinal);

    /// <summary>
    /// The plugin's main assembly: the one named by the folder's single <c>*.deps.json</c>
    /// (what <c>dotnet publish</c> writes), else <c>&lt;folder&gt;.dll</c>, else the only DLL.
    /// </summary>
    private static string? FindMainAssembly(string folder, out string? problem)
    {
        problem = null;
        var deps = System.IO.Directory.GetFiles(folder, "*.deps.json");
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

        var dlls = System.IO.Directory.GetFiles(folder, "*.dll");
        if (dlls.Length == 1)
        {
            return dlls[0];
        }

        problem = dlls.Length == 0
            ? "no plugin assembly: the folder holds no .dll"
            : $"cannot tell the plugin's main assembly among {dlls.Length} DLLs: publish it with its .deps.json";
        return null;
    }
}
