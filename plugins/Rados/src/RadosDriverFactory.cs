using Registry.Storage.Drivers.Rados.Native;

namespace Registry.Storage.Drivers.Rados;

/// <summary>Creates <c>rados</c> drivers: a filesystem-like tree over one Ceph RADOS pool.</summary>
[StorageDriver(RadosDriver.DriverName)]
public sealed class RadosDriverFactory : IStorageDriverFactory
{
    private readonly string _libraryName;

    /// <summary>Creates the factory the host registers; loads librados now, so a host reports a missing library when it loads the plugin.</summary>
    /// <exception cref="StorageDriverException">librados.so.2 cannot be loaded; the message names it and the package that provides it.</exception>
    public RadosDriverFactory()
        : this(RadosNative.Library)
    {
    }

    /// <summary>Creates a factory loading librados from <paramref name="libraryName"/> (tests point it at a missing one).</summary>
    internal RadosDriverFactory(string libraryName)
    {
        _libraryName = libraryName;
        EnsureLibrary(libraryName);
    }

    /// <inheritdoc />
    public string Name => RadosDriver.DriverName;

    /// <inheritdoc />
    public IReadOnlyList<DriverParameterInfo> Parameters => RadosParameters.Table.Info;

    /// <inheritdoc />
    public async ValueTask<IStorageDriver> CreateAsync(DriverParameters parameters, CancellationToken cancellationToken = default)
    {
        var options = RadosParameters.Parse(parameters);
        EnsureLibrary(_libraryName);

        // rados_connect blocks (bounded by the timeout): keep it off the caller's thread.
        return await Task.Run(() => RadosDriver.Connect(options), cancellationToken).ConfigureAwait(false);
    }

    private static void EnsureLibrary(string libraryName)
    {
        try
        {
            RadosLibrary.EnsureLoaded(libraryName);
        }
        catch (DllNotFoundException ex)
        {
            throw new StorageDriverException(RadosDriver.DriverName, ex.Message, ex);
        }
    }
}
