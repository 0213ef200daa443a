namespace Registry.Storage.Drivers.Oss;

/// <summary>Creates oss drivers (Alibaba Cloud OSS) from distribution's oss parameters.</summary>
[StorageDriver(OssDriver.DriverName)]
public sealed class OssDriverFactory : IStorageDriverFactory
{
    /// <inheritdoc />
    public string Name => OssDriver.DriverName;

    /// <inheritdoc />
    public IReadOnlyList<DriverParameterInfo> Parameters => OssParameters.Table.Info;

    /// <inheritdoc />
    public ValueTask<IStorageDriver> CreateAsync(DriverParameters parameters, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        IStorageDriver driver = new OssDriver(OssParameters.Parse(parameters), parameters.TimeProvider);
        return ValueTask.FromResult(driver);
    }
}
