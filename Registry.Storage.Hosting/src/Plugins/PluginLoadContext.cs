using System.Reflection;
using System.Runtime.Loader;

namespace Registry.Storage.Hosting.Plugins;

/// <summary>
/// The load context of one plugin: its assemblies and native libraries resolve from its own
/// folder through the runtime's <see cref="AssemblyDependencyResolver"/> (the plugin's
/// <c>*.deps.json</c>, <c>runtimes/</c> assets), so two plugins can carry different versions of
/// one library; only the contract assembly is shared with the host, and what the plugin does not
/// carry (the framework) comes from the default context.
/// </summary>
/// <remarks>
/// This replaces McMaster.NETCore.Plugins' loader on the start-up path: creating its loader and
/// loading the main assembly took 33 ms of a 185 ms command (its managed deps.json reading and
/// probing), the runtime's resolver about 3 ms — measured in docs/benchmarks.md. The behaviour the
/// loader tests pin (isolation, conflicting dependency versions, missing native libraries,
/// foreign architectures) is unchanged.
/// </remarks>
internal sealed class PluginLoadContext(string mainAssemblyPath)
    : AssemblyLoadContext($"plugin:{Path.GetFileName(Path.GetDirectoryName(mainAssemblyPath))}", isCollectible: false)
{
    private static readonly string SharedContract = typeof(IStorageDriver).Assembly.GetName().Name!;
    private readonly AssemblyDependencyResolver _resolver = new(mainAssemblyPath);

    /// <summary>Loads the plugin's main assembly into this context.</summary>
    public Assembly LoadMain() => LoadFromAssemblyPath(mainAssemblyPath);

    /// <inheritdoc />
    protected override Assembly? Load(AssemblyName assemblyName)
    {
        // The contract is the host's: a plugin's IStorageDriverFactory must be the host's type.
        if (string.Equals(assemblyName.Name, SharedContract, StringComparison.Ordinal))
        {
            return null;
        }

        return _resolver.ResolveAssemblyToPath(assemblyName) is { } path ? LoadFromAssemblyPath(path) : null;
    }

    /// <inheritdoc />
    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName) =>
        _resolver.ResolveUnmanagedDllToPath(unmanagedDllName) is { } path ? LoadUnmanagedDllFromPath(path) : IntPtr.Zero;
}
