namespace Registry.Storage.Drivers.InMemory;

/// <summary>Registers the <c>inmemory</c> driver with the host.</summary>
[StorageDriver(InMemoryDriver.DriverName)]
public sealed class InMemoryDriverFactory : IStorageDriverFactory
{
    /// <inheritdoc />
    public string Name => InMemoryDriver.DriverName;

    /// <inheritdoc />
    public IReadOnlyList<DriverParameterInfo> Parameters { get; } =
    [
        new(InMemoryParameters.RootDirectoryName, "string", "A prefix under which the driver keeps everything, isolating it from other drivers on the same store.") { Default = "/" },
        new(InMemoryParameters.StoreParameterName, "string", "Names a process-wide store shared by every driver naming it (so a new driver instance sees earlier data and resumes its uploads: ResumableWrites); unset gives a store private to the driver (ResumableWrites = false)."),
    ];

    /// <inheritdoc />
    public ValueTask<IStorageDriver> CreateAsync(DriverParameters parameters, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return ValueTask.FromResult<IStorageDriver>(new InMemoryDriver(InMemoryParameters.Parse(parameters), parameters.TimeProvider));
    }
}
