namespace Registry.Storage.Drivers.Filesystem;

/// <summary>Maps .NET file-system exceptions to the contract's errors, naming the driver and the storage path (never the host folder).</summary>
internal static class FilesystemErrors
{
    /// <summary>The contract error for <paramref name="error"/> raised by <paramref name="operation"/> on <paramref name="path"/>.</summary>
    public static Exception Map(string driverName, string operation, string path, Exception error) => error switch
    {
        StorageDriverException or OperationCanceledException => error,

        // ENOENT, and ENOTDIR (a file where a folder was expected), which .NET also reports as "part of the path not found".
        FileNotFoundException or DirectoryNotFoundException => DriverErrors.PathNotFound(driverName, path, error),

        // .NET reports opening a folder as a file, and EACCES/EPERM, as access denied.
        UnauthorizedAccessException => new StorageDriverException(driverName,
            $"{operation} {path} failed: access denied, or the path is a directory", error) { Path = path },

        // ENOSPC, EIO, EROFS, EXDEV ...: nothing a retry fixes by itself.
        IOException => new StorageDriverException(driverName, $"{operation} {path} failed: {error.Message}", error) { Path = path },

        _ => DriverErrors.Backend(driverName, operation, path, error),
    };

    /// <summary>Whether <paramref name="error"/> should be mapped (everything but programming errors).</summary>
    public static bool IsMappable(Exception error) =>
        error is IOException or UnauthorizedAccessException or NotSupportedException or System.Security.SecurityException;
}
