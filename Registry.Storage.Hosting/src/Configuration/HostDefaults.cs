namespace Registry.Storage.Hosting.Configuration;

/// <summary>What the host does with no configuration at all.</summary>
public static class HostDefaults
{
    /// <summary>The configuration file looked for in the working directory when <c>--config</c> is not given.</summary>
    public const string ConfigFileName = "regstore.yaml";

    /// <summary>The driver used with no storage section: the filesystem driver under <c>./data</c>.</summary>
    public const string DriverName = "filesystem";

    /// <summary>The driver used when the filesystem plugin is missing (with a warning).</summary>
    public const string FallbackDriverName = "inmemory";

    /// <summary>The plugins directory beside the host executable.</summary>
    public static string PluginsDirectory => Path.Combine(AppContext.BaseDirectory, "plugins");

    /// <summary>The default filesystem parameters: <c>rootdirectory: ./data</c>.</summary>
    public static IReadOnlyDictionary<string, object?> FilesystemParameters =>
        new Dictionary<string, object?> { ["rootdirectory"] = Path.GetFullPath("data") };
}
