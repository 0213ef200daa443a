using System.IO.Enumeration;
using System.Runtime.ExceptionServices;

namespace Registry.Storage.Drivers.Filesystem;

/// <summary>
/// Removes a directory tree with its subdirectories taken apart in parallel: each unlink is a
/// system call that waits on the file system's metadata, and one thread doing them in turn
/// (.NET's <see cref="Directory.Delete(string, bool)"/>, like <c>rm -rf</c>) leaves the other
/// cores idle. Links inside are unlinked, never followed.
/// </summary>
internal static class TreeDeleter
{
    private static readonly EnumerationOptions Everything = new()
    {
        AttributesToSkip = 0,
        IgnoreInaccessible = false,
        RecurseSubdirectories = false,
        ReturnSpecialDirectories = false,
    };

    /// <summary>Deletes <paramref name="directory"/> and everything below it, up to <paramref name="parallelism"/> subdirectories at once.</summary>
    /// <exception cref="IOException">An entry could not be removed (the first such failure; what could be removed is gone).</exception>
    public static void Delete(string directory, int parallelism)
    {
        try
        {
            DeleteTree(directory, new ParallelOptions { MaxDegreeOfParallelism = parallelism });
        }
        catch (AggregateException ex) when (ex.Flatten().InnerExceptions is [var first, ..])
        {
            ExceptionDispatchInfo.Throw(first); // as the sequential delete would fail: the driver maps it by its type
        }
    }

    private static void DeleteTree(string directory, ParallelOptions options)
    {
        var subdirectories = new List<string>();
        var entries = new FileSystemEnumerable<(string Path, bool IsRealDirectory)>(directory,
            (ref FileSystemEntry e) => (e.ToFullPath(), e.IsDirectory && (e.Attributes & FileAttributes.ReparsePoint) == 0),
            Everything);
        foreach (var (path, isRealDirectory) in entries)
        {
            if (isRealDirectory)
            {
                subdirectories.Add(path);
            }
            else
            {
                File.Delete(path); // a file, or a link to anything: unlinked
            }
        }

        if (subdirectories.Count == 1)
        {
            DeleteTree(subdirectories[0], options);
        }
        else if (subdirectories.Count > 1)
        {
            Parallel.ForEach(subdirectories, options, subdirectory => DeleteTree(subdirectory, options));
        }

        Directory.Delete(directory);
    }
}
