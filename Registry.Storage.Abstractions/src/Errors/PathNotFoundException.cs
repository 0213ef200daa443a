namespace Registry.Storage;

/// <summary>Nothing is stored at the path (distribution's <c>PathNotFoundError</c>).</summary>
public sealed class PathNotFoundException : StorageDriverException
{
    /// <summary>Creates the error for <paramref name="path"/>.</summary>
    public PathNotFoundException(string driverName, string path, Exception? innerException = null)
        : base(driverName, $"path not found: {path}", innerException)
    {
        Path = path;
    }
}
