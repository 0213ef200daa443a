namespace Registry.Storage.Drivers.InMemory;

/// <summary>Registers the <c>inmemory</c> driver with the host.</summary>
[StorageDriver(InMemoryDriver.DriverName)]
public sealed class InMemoryDriverFactory : IStorageDriverFactory
{
    /// <inheritdoc />
    public string Name => InMemoryDriver.DriverName;

    /// <inheritdoc />
    public IReadOnlyList<DriverParameterInfo> Parameters => InMemoryParameters.Table.Info;

    /// <inheritdoc />
    public ValueTask<IStorageDriver> CreateAsync(DriverParameters parameters, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return ValueTask.FromResult<IStorageDriver>(new InMemoryDriver(InMemoryParameters.Parse(parameters), parameters.TimeProvider));
    }
}
