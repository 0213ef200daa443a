using Registry.Storage.Drivers.Rados.Native;

namespace Registry.Storage.Drivers.Rados;

/// <summary>Maps librados failures onto the contract's errors, each with the reason.</summary>
internal static class RadosErrors
{
    /// <summary>The contract error for <paramref name="error"/> raised during <paramref name="operation"/> on <paramref name="path"/>.</summary>
    public static Exception Map(Exception error, string operation, string? path) => error switch
    {
        StorageDriverException or OperationCanceledException => error,

        // The object behind the path is gone: the path does not exist (or vanished mid-read).
        RadosException { Errno: Errno.ENOENT } when path is not null => DriverErrors.PathNotFound(RadosDriver.DriverName, path, error),

        // Busy or unreachable cluster: the same call may succeed later.
        RadosException { Errno: Errno.EAGAIN or Errno.EBUSY or Errno.ETIMEDOUT or Errno.ECONNRESET or Errno.ENOTCONN or Errno.ECONNREFUSED } =>
            DriverErrors.Backend(RadosDriver.DriverName, operation, path, error, isTransient: true),

        _ => DriverErrors.Backend(RadosDriver.DriverName, operation, path, error),
    };

    /// <summary>Whether <paramref name="error"/> says the object does not exist.</summary>
    public static bool IsNotFound(Exception error) => error is RadosException { Errno: Errno.ENOENT };
}
