namespace Registry.Storage;

/// <summary>
/// The base of every error a driver raises; also the wrapper for backend failures that
/// fit no narrower type (the original is the inner exception). Messages name the driver
/// and the path, never a credential.
/// </summary>
public class StorageDriverException : Exception
{
    /// <summary>Creates an error of <paramref name="driverName"/> with a message prefixed by the driver name.</summary>
    public StorageDriverException(string driverName, string message, Exception? innerException = null)
        : base($"{driverName}: {message}", innerException)
    {
        DriverName = driverName;
        Detail = message;
    }

    /// <summary>The driver that raised the error.</summary>
    public string DriverName { get; }

    /// <summary>The message without the driver-name prefix.</summary>
    public string Detail { get; }

    /// <summary>The storage path concerned, when there is one.</summary>
    public string? Path { get; init; }

    /// <summary>Whether retrying the same call may succeed (throttling, timeouts, resets). The retry decorator reads nothing else.</summary>
    public bool IsTransient { get; init; }
}
