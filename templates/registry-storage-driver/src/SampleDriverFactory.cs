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
    /// <remarks>Shown by <c>regstore drivers --describe</c> without creating a driver; mark credentials with <c>Secret = true</c>.</remarks>
    public IReadOnlyList<DriverParameterInfo> Parameters { get; } =
    [
        new(SampleParameters.RootDirectoryName, "string", "The absolute folder under which everything is kept; a path /a/b is the file <rootdirectory>/a/b.")
        {
            Required = true,
        },
    ];

    /// <inheritdoc />
    public ValueTask<IStorageDriver> CreateAsync(DriverParameters parameters, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<IStorageDriver>(new SampleDriver(SampleParameters.Parse(parameters)));
}
