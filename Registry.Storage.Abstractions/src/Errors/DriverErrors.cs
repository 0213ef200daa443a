namespace Registry.Storage;

/// <summary>One-line throw sites for drivers: each builds the error the contract names.</summary>
public static class DriverErrors
{
    /// <summary>Nothing is stored at <paramref name="path"/>.</summary>
    public static PathNotFoundException PathNotFound(string driverName, string path, Exception? inner = null) => new(driverName, path, inner);

    /// <summary>A negative or unusable offset.</summary>
    public static InvalidOffsetException InvalidOffset(string driverName, string path, long offset) => new(driverName, path, offset);

    /// <summary>An operation the driver does not offer.</summary>
    public static UnsupportedMethodException Unsupported(string driverName, string method) => new(driverName, method);

    /// <summary>A backend failure wrapped with the operation and path it happened on.</summary>
    public static StorageDriverException Backend(string driverName, string operation, string? path, Exception inner, bool isTransient = false) =>
        new(driverName, path is null ? $"{operation} failed: {inner.Message}" : $"{operation} {path} failed: {inner.Message}", inner)
        {
            Path = path,
            IsTransient = isTransient,
        };
}
