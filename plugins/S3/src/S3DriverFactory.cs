namespace Registry.Storage.Drivers.S3;

/// <summary>Registers the s3 driver as <c>s3</c> and, as distribution does, <c>s3aws</c>.</summary>
[StorageDriver(S3DriverFactory.DriverName, Aliases = ["s3aws"])]
public sealed class S3DriverFactory : IStorageDriverFactory
{
    /// <summary>The registered name.</summary>
    public const string DriverName = "s3";

    /// <inheritdoc />
    public string Name => DriverName;

    /// <inheritdoc />
    public IReadOnlyList<string> Aliases { get; } = ["s3aws"];

    /// <inheritdoc />
    public IReadOnlyList<DriverParameterInfo> Parameters => S3Parameters.Table.Info;

    /// <inheritdoc />
    public ValueTask<IStorageDriver> CreateAsync(DriverParameters parameters, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<IStorageDriver>(new S3Driver(S3Parameters.Parse(parameters)));
}
