using Registry.Storage.Hosting.Plugins;

namespace Registry.Storage.Host.Tests.Decorators;

/// <summary>The real inmemory driver, loaded from its plugin folder exactly as the host loads it.</summary>
internal static class InMemoryPlugin
{
    public static string Folder => Path.Combine(AppContext.BaseDirectory, "fixtures", "Registry.Storage.Drivers.InMemory");

    private static readonly Lazy<DriverRegistry> Loaded = new(() =>
    {
        var registry = new DriverRegistry();
        var result = new PluginScanner().Load(Folder, registry);
        result.Status.ShouldNotBe(PluginStatus.Failed, result.Error);
        return registry;
    });

    public static DriverRegistry Registry => Loaded.Value;

    /// <summary>A fresh driver with a private store.</summary>
    public static Task<IStorageDriver> CreateAsync() => Registry.CreateAsync("inmemory", new Dictionary<string, object?>());

    /// <summary>A plugins directory holding only the inmemory plugin (a copy, so no broken loader fixtures come along).</summary>
    public static string PluginsDirectory()
    {
        var root = Path.Combine(Path.GetTempPath(), "regstore-plugins-" + Guid.NewGuid().ToString("N"));
        CopyDirectory(Folder, Path.Combine(root, "inmemory"));
        return root;
    }

    public static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }

        foreach (var dir in Directory.GetDirectories(from))
        {
            CopyDirectory(dir, Path.Combine(to, Path.GetFileName(dir)));
        }
    }
}
