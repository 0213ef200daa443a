using System.Globalization;

namespace Registry.Storage.Drivers.Rados.Native;

/// <summary>How to reach and authenticate to a cluster.</summary>
/// <param name="User">The client name without <c>client.</c> (for example <c>admin</c>).</param>
/// <param name="ConfFile">A ceph.conf to read, or <see langword="null"/> for librados' default search (<c>$CEPH_CONF</c>, <c>/etc/ceph/ceph.conf</c>, …).</param>
/// <param name="Keyring">A keyring file overriding the conf file's, or <see langword="null"/>.</param>
/// <param name="Timeout">Bounds connecting and every monitor and OSD operation.</param>
internal sealed record RadosConnectOptions(string User, string? ConfFile, string? Keyring, TimeSpan Timeout);

/// <summary>
/// A connection to a Ceph cluster (<c>rados_t</c>). Disposing shuts it down once every
/// <see cref="RadosIoContext"/> opened from it is disposed too (the handles are reference-counted).
/// </summary>
/// <remarks>Thread-safe: librados allows one cluster handle to be shared by all threads.</remarks>
internal sealed class RadosCluster : IDisposable
{
    private readonly RadosClusterHandle _handle;

    private RadosCluster(RadosClusterHandle handle) => _handle = handle;

    /// <summary>Creates, configures and connects a cluster handle; blocking, so callers run it off the request path.</summary>
    /// <exception cref="RadosException">A librados call failed (for example <c>ETIMEDOUT</c> when no monitor answers).</exception>
    public static RadosCluster Connect(RadosConnectOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var rc = RadosNative.rados_create2(out var raw, "ceph", "client." + options.User, 0);
        RadosException.Check(rc, "rados_create2");
        var handle = new RadosClusterHandle(raw);
        try
        {
            RadosException.Check(RadosNative.rados_conf_read_file(handle, options.ConfFile), "rados_conf_read_file", options.ConfFile);
            if (options.Keyring is not null)
            {
                Set(handle, "keyring", options.Keyring);
            }

            var seconds = Math.Max(1, (int)Math.Ceiling(options.Timeout.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            Set(handle, "client_mount_timeout", seconds);
            Set(handle, "rados_mon_op_timeout", seconds);
            Set(handle, "rados_osd_op_timeout", seconds);

            // A library must not write to the host's stderr.
            Set(handle, "log_to_stderr", "false");
            Set(handle, "err_to_stderr", "false");
            RadosException.Check(RadosNative.rados_connect(handle), "rados_connect");
            return new RadosCluster(handle);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Opens an I/O context on <paramref name="pool"/>.</summary>
    /// <exception cref="RadosException"><c>ENOENT</c> when the pool does not exist.</exception>
    public RadosIoContext OpenIoContext(string pool)
    {
        RadosException.Check(RadosNative.rados_ioctx_create(_handle, pool, out var raw), "rados_ioctx_create", pool);
        return new RadosIoContext(new RadosIoContextHandle(raw, _handle));
    }

    /// <inheritdoc />
    public void Dispose() => _handle.Dispose();

    private static void Set(RadosClusterHandle handle, string option, string value) =>
        RadosException.Check(RadosNative.rados_conf_set(handle, option, value), "rados_conf_set", option);
}
