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
    public IReadOnlyList<DriverParameterInfo> Parameters { get; } =
    [
        new(RadosParameters.PoolNameKey, "string", "The RADOS pool that holds the tree.") { Required = true },
        new(RadosParameters.UserNameKey, "string", "The cephx user (without 'client.').") { Default = "admin" },
        new(RadosParameters.ChunkSizeKey, "size", "Bytes per stripe object (64 KiB to 64 MiB).") { Default = "4MiB" },
        new(RadosParameters.ConfFileKey, "string", "A ceph.conf for a cluster outside /etc/ceph.") { Default = "librados' search: $CEPH_CONF, /etc/ceph/ceph.conf" },
        new(RadosParameters.KeyringKey, "string", "A keyring file overriding the conf file's.") { Default = "the conf file's" },
        new(RadosParameters.RootDirectoryKey, "string", "A prefix for every object id, so several trees share one pool.") { Default = "(none)" },
        new(RadosParameters.ConcurrencyKey, "int", "Stripes in flight per writer and per reader (1 to 64).") { Default = "4" },
        new(RadosParameters.TimeoutKey, "duration", "Bounds connecting and every monitor and OSD operation.") { Default = "30s" },
    ];

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
