namespace Registry.Storage;

/// <summary>A read offset is negative or otherwise unusable (distribution's <c>InvalidOffsetError</c>).</summary>
public sealed class InvalidOffsetException : StorageDriverException
{
    /// <summary>Creates the error for <paramref name="offset"/> into <paramref name="path"/>.</summary>
    public InvalidOffsetException(string driverName, string path, long offset)
        : base(driverName, $"invalid offset {offset} for path {path}")
    {
        Path = path;
        Offset = offset;
    }

    /// <summary>The offending offset.</summary>
    public long Offset { get; }
}
