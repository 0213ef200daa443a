namespace Registry.Storage.Hosting.Plugins;

/// <summary>A plugin could not be loaded or one of its calls failed or overran its limit; the message names the plugin folder and the cause.</summary>
public sealed class PluginLoadException : Exception
{
    /// <summary>Creates the error.</summary>
    public PluginLoadException(string folder, string problem, Exception? cause = null)
        : base($"plugin {folder}: {problem}", cause)
    {
        Folder = folder;
        Problem = problem;
    }

    /// <summary>The plugin folder.</summary>
    public string Folder { get; }

    /// <summary>What went wrong, without the folder.</summary>
    public string Problem { get; }
}
