namespace Registry.Storage.Conformance.Runner;

/// <summary>
/// The concrete fixture the runner executes: the whole suite against whatever driver
/// <see cref="DriverSource"/> creates (a plugin loaded the way production loads it).
/// </summary>
public sealed class PluginConformance : StorageDriverConformance
{
    /// <summary>Creates the driver under test for a root name; set by <see cref="ConformanceRunner"/> before a run.</summary>
    internal static Func<string, CancellationToken, ValueTask<IStorageDriver>>? DriverSource { get; set; }

    /// <summary>The suite options for this run.</summary>
    internal static ConformanceOptions RunOptions { get; set; } = ConformanceOptions.FromEnvironment();

    /// <inheritdoc />
    protected override ConformanceOptions Options => RunOptions;

    /// <inheritdoc />
    protected override ValueTask<IStorageDriver> CreateDriverAsync(string rootName, CancellationToken cancellationToken) =>
        (DriverSource ?? throw new InvalidOperationException("the conformance runner has no driver to test"))(rootName, cancellationToken);
}
