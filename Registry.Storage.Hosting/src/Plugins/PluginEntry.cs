namespace Registry.Storage.Hosting.Plugins;

/// <summary>One folder under <c>plugins/</c> as discovery saw it, from files and metadata alone.</summary>
/// <param name="Folder">The plugin folder (full path).</param>
public sealed record PluginEntry(string Folder)
{
    /// <summary>The plugin's main assembly, when one was found.</summary>
    public string? AssemblyPath { get; init; }

    /// <summary>The plugin assembly's informational or assembly version.</summary>
    public string? Version { get; init; }

    /// <summary>The contract version the plugin was compiled against.</summary>
    public Version? ContractVersion { get; init; }

    /// <summary>The drivers the plugin declares with <see cref="StorageDriverAttribute"/>.</summary>
    public IReadOnlyList<DeclaredDriver> Drivers { get; init; } = [];

    /// <summary>Shipped with the host: its declared names take precedence over other folders'.</summary>
    public bool Bundled { get; init; }

    /// <summary>Why the plugin cannot be used at all, or null.</summary>
    public string? Error { get; init; }

    /// <summary>Declared names this plugin lost, with the reason (a clash with another folder).</summary>
    public IReadOnlyDictionary<string, string> Refused { get; init; } = new Dictionary<string, string>();

    /// <summary>The folder's name.</summary>
    public string Name => Path.GetFileName(Folder.TrimEnd(Path.DirectorySeparatorChar));

    /// <summary>A plugin built before contract 1.1 declares nothing: it is used only where configuration pins a name to it.</summary>
    public bool Undeclared => Error is null && Drivers.Count == 0;

    /// <summary>The driver names this plugin serves (declared and not refused).</summary>
    public IEnumerable<string> ServedNames => Drivers.Where(d => !Refused.ContainsKey(d.Name)).SelectMany(d => d.AllNames);
}
