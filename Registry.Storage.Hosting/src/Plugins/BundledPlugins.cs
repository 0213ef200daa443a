using Registry.Storage.Hosting.Configuration;

namespace Registry.Storage.Hosting.Plugins;

/// <summary>
/// The plugins published with the host: <c>./build.sh publish</c> (and the tool package) write
/// their folder names to <c>bundled-plugins.txt</c> beside the host. Their declared names win
/// over any other folder's, so a third-party folder can never take over <c>filesystem</c> or <c>s3</c>.
/// </summary>
public static class BundledPlugins
{
    /// <summary>The list's file name, beside the host's assemblies.</summary>
    public const string ListFileName = "bundled-plugins.txt";

    /// <summary>The bundled folders (full paths), when <paramref name="pluginsDirectory"/> is the host's own plugins directory.</summary>
    public static IReadOnlySet<string> FoldersIn(string pluginsDirectory)
    {
        var list = Path.Combine(AppContext.BaseDirectory, ListFileName);
        var own = Path.GetFullPath(HostDefaults.PluginsDirectory).TrimEnd(Path.DirectorySeparatorChar);
        if (!File.Exists(list) || !string.Equals(Path.GetFullPath(pluginsDirectory).TrimEnd(Path.DirectorySeparatorChar), own, StringComparison.Ordinal))
        {
            return new HashSet<string>(StringComparer.Ordinal);
        }

        return File.ReadAllLines(list)
            .Select(line => line.Trim())
            .Where(name => name.Length > 0 && !name.StartsWith('#') && name.IndexOfAny(['/', '\\']) < 0 && name is not "." and not "..")
            .Select(name => Path.Combine(own, name))
            .ToHashSet(StringComparer.Ordinal);
    }
}
