namespace Registry.Storage;

/// <summary>What <see cref="IStorageDriver.StatAsync"/> and walks report about a path.</summary>
/// <param name="Path">The absolute storage path.</param>
/// <param name="Size">The content length in bytes; 0 for directories.</param>
/// <param name="ModTime">When the content last changed; for directories, <see cref="DateTimeOffset.MinValue"/> (unknown) or a real time not in the future.</param>
/// <param name="IsDirectory">Whether the path is a directory (implied by its children).</param>
public sealed record StorageFileInfo(string Path, long Size, DateTimeOffset ModTime, bool IsDirectory)
{
    /// <summary>A directory entry with no size.</summary>
    public static StorageFileInfo Directory(string path, DateTimeOffset modTime = default) => new(path, 0, modTime, true);

    /// <summary>A file entry.</summary>
    public static StorageFileInfo File(string path, long size, DateTimeOffset modTime) => new(path, size, modTime, false);
}
