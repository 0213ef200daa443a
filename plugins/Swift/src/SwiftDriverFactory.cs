namespace Registry.Storage.Drivers.Swift;

/// <summary>Registers the swift driver (distribution's <c>swift</c>) with the host.</summary>
[StorageDriver(SwiftErrors.DriverName)]
public sealed class SwiftDriverFactory : IStorageDriverFactory
{
    /// <inheritdoc />
    public string Name => SwiftErrors.DriverName;

    /// <inheritdoc />
    public IReadOnlyList<DriverParameterInfo> Parameters => SwiftParameters.Table.Info;

    /// <inheritdoc />
    public async ValueTask<IStorageDriver> CreateAsync(DriverParameters parameters, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var parsed = SwiftParameters.Parse(parameters);
        return await SwiftDriver.CreateAsync(parsed, handler: null, parameters.TimeProvider, cancellationToken).ConfigureAwait(false);
    }
}
