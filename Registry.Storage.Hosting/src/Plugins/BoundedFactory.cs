namespace Registry.Storage.Hosting.Plugins;

/// <summary>
/// A plugin's factory with every call bounded by the plugin call limit and reported with the
/// plugin folder. Name and aliases are the ones checked against the plugin's metadata when it
/// was loaded, so they are never asked of plugin code again.
/// </summary>
internal sealed class BoundedFactory(IStorageDriverFactory inner, string folder, string name, IReadOnlyList<string> aliases, TimeSpan limit) : IStorageDriverFactory
{
    private readonly Lazy<IReadOnlyList<DriverParameterInfo>> _parameters = new(() =>
        PluginCall.Run(folder, $"{name}: the factory's Parameters", limit, () => inner.Parameters.ToArray()));

    public string Name => name;

    public IReadOnlyList<string> Aliases => aliases;

    public IReadOnlyList<DriverParameterInfo> Parameters => _parameters.Value;

    /// <summary>The plugin's own factory (for tests of load-context isolation).</summary>
    internal IStorageDriverFactory Inner => inner;

    /// <summary>The plugin folder the factory came from.</summary>
    public string Folder => folder;

    public async ValueTask<IStorageDriver> CreateAsync(DriverParameters parameters, CancellationToken cancellationToken = default)
    {
        Task<IStorageDriver>? creation = null;
        try
        {
            return await PluginCall.RunAsync(folder, $"{name}: CreateAsync", limit, () => creation = inner.CreateAsync(parameters, cancellationToken).AsTask(), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is PluginLoadException or OperationCanceledException && creation is { IsCompleted: false })
        {
            // A driver that finishes after we gave up must not leak its clients.
            _ = creation!.ContinueWith(t => t.Result.DisposeAsync(), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
            throw;
        }
    }
}
