using Registry.Storage;

namespace Sample.StorageDriver;

/// <summary>Turns file-system exceptions into the contract's errors, each naming the driver and the storage path.</summary>
internal static class SampleErrors
{
    /// <summary>Whether <paramref name="exception"/> is a file-system failure this driver maps (everything else propagates as a bug).</summary>
    public static bool IsFileSystemFailure(Exception exception) => exception is IOException or UnauthorizedAccessException;

    /// <summary>
    /// The contract's error for a failed <paramref name="operation"/> on <paramref name="path"/>:
    /// a missing file or folder is <see cref="PathNotFoundException"/>, anything else a
    /// <see cref="StorageDriverException"/> with the original as inner exception.
    /// </summary>
    public static StorageDriverException Map(Exception exception, string operation, string path) => exception switch
    {
        FileNotFoundException or DirectoryNotFoundException => DriverErrors.PathNotFound(SampleDriver.DriverName, path, exception),
        _ => DriverErrors.Backend(SampleDriver.DriverName, operation, path, exception),
    };
}
