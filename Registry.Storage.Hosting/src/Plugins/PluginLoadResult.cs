namespace Registry.Storage.Hosting.Plugins;

/// <summary>How loading one plugin folder went.</summary>
public enum PluginStatus
{
    /// <summary>Loaded; every factory registered.</summary>
    Loaded,

    /// <summary>Not loaded; <see cref="PluginLoadResult.Error"/> says why. The host carries on without it.</summary>
    Failed,
}

/// <summary>The outcome for one folder under <c>plugins/</c>.</summary>
/// <param name="Folder">The plugin folder.</param>
/// <param name="Status">Whether it loaded.</param>
public sealed record PluginLoadResult(string Folder, PluginStatus Status)
{
    /// <summary>The plugin's main assembly, when one was found.</summary>
    public string? AssemblyPath { get; init; }

    /// <summary>The plugin assembly's informational or file version.</summary>
    public string? Version { get; init; }

    /// <summary>The contract version the plugin was compiled against.</summary>
    public Version? ContractVersion { get; init; }

    /// <summary>The driver names registered from this plugin.</summary>
    public IReadOnlyList<string> DriverNames { get; init; } = [];

    /// <summary>The factories registered from this plugin.</summary>
    public IReadOnlyList<IStorageDriverFactory> Factories { get; init; } = [];

    /// <summary>Why the plugin (or one of its factories) failed; <see langword="null"/> when all went well.</summary>
    public string? Error { get; init; }
}
