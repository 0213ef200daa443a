namespace Registry.Storage.Drivers.Filesystem;

/// <summary>Registers the <c>filesystem</c> driver with the host.</summary>
[StorageDriver(FilesystemDriver.DriverName)]
public sealed class FilesystemDriverFactory : IStorageDriverFactory
{
    /// <inheritdoc />
    public string Name => FilesystemDriver.DriverName;

    /// <inheritdoc />
    public IReadOnlyList<DriverParameterInfo> Parameters => FilesystemParameters.Table.Info;

    /// <inheritdoc />
    public ValueTask<IStorageDriver> CreateAsync(DriverParameters parameters, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return ValueTask.FromResult<IStorageDriver>(new FilesystemDriver(FilesystemParameters.Parse(parameters)));
    }
}
