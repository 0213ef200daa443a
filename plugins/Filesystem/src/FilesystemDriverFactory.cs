namespace Registry.Storage.Drivers.Filesystem;

/// <summary>Registers the <c>filesystem</c> driver with the host.</summary>
[StorageDriver(FilesystemDriver.DriverName)]
public sealed class FilesystemDriverFactory : IStorageDriverFactory
{
    /// <inheritdoc />
    public string Name => FilesystemDriver.DriverName;

    /// <inheritdoc />
    public IReadOnlyList<DriverParameterInfo> Parameters { get; } =
    [
        new(FilesystemParameters.RootDirectoryName, "string", "The folder under which everything is kept; a path /a/b is the file <rootdirectory>/a/b.")
        {
            Default = FilesystemParameters.DefaultRootDirectory,
        },
        new(FilesystemParameters.MaxThreadsName, "int", $"How many blocking file operations may run at once; values below {FilesystemParameters.MinThreads} are raised to it.")
        {
            Default = FilesystemParameters.DefaultMaxThreads.ToString(System.Globalization.CultureInfo.InvariantCulture),
        },
    ];

    /// <inheritdoc />
    public ValueTask<IStorageDriver> CreateAsync(DriverParameters parameters, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return ValueTask.FromResult<IStorageDriver>(new FilesystemDriver(FilesystemParameters.Parse(parameters)));
    }
}
