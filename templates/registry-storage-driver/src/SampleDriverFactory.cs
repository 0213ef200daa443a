using Registry.Storage;

namespace Sample.StorageDriver;

/// <summary>
/// Registers the <c>sampledriver</c> driver with the host. The host finds this public type in
/// the plugin folder, creates it with its parameterless constructor and asks it for drivers.
/// </summary>
[StorageDriver(SampleDriver.DriverName)]
public sealed class SampleDriverFactory : IStorageDriverFactory
{
    /// <inheritdoc />
    public string Name => SampleDriver.DriverName;

    /// <inheritdoc />
    /// <remarks>Shown by <c>regstore drivers --describe</c> without creating a driver; derived from <see cref="SampleParameters.Table"/>.</remarks>
    public IReadOnlyList<DriverParameterInfo> Parameters => SampleParameters.Table.Info;

    /// <inheritdoc />
    public ValueTask<IStorageDriver> CreateAsync(DriverParameters parameters, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<IStorageDriver>(new SampleDriver(SampleParameters.Parse(parameters)));
}
