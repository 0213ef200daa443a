using System.IO.Enumeration;

namespace Registry.Storage.Drivers.Filesystem;

/// <summary>
/// List and Walk over directory enumeration. Names outside the path rule (hidden uploads,
/// PutContent's temp files, anything a storage path cannot name) and links that lead outside
/// the root are never reported. Walk reads size and time from the enumeration itself, so it
/// costs one directory read per directory rather than a Stat per entry.
/// </summary>
internal static class FilesystemLister
{
    // Dot-files are valid storage names: do not let .NET's default skip "hidden" entries.
    private static readonly EnumerationOptions AllEntries = new()
    {
        AttributesToSkip = 0,
        IgnoreInaccessible = false,
        RecurseSubdirectories = false,
        ReturnSpecialDirectories = false,
    };

    /// <summary>The names of the visible children of the directory at <paramref name="path"/>.</summary>
    /// <exception cref="PathNotFoundException">There is no such directory (<c>/</c> always lists).</exception>
    public static List<string> ListNames(RootedPaths paths, string driverName, string path)
    {
        var full = paths.Resolve(path);
        if (!Directory.Exists(full))
        {
            return path == StoragePath.Root ? [] : throw DriverErrors.PathNotFound(driverName, path);
        }

        return Entries(paths, full).Select(e => e.Name).ToList();
    }

    /// <summary>Walks the directory at <paramref name="path"/> in walk order with skip, stop and the start-after hint.</summary>
    public static async Task WalkAsync(FilesystemDriver driver, RootedPaths paths, string path, WalkVisitor visitor, WalkOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(visitor);
        var full = paths.Resolve(path);
        if (!Directory.Exists(full))
        {
            if (path == StoragePath.Root)
            {
                return;
            }

            throw DriverErrors.PathNotFound(driver.Name, path);
        }

        var hint = string.IsNullOrEmpty(options?.StartAfterHint) ? null : options!.StartAfterHint;
        await WalkDirectoryAsync(driver, paths, path, full, visitor, hint, cancellationToken).ConfigureAwait(false);
    }

    // Returns false once the visitor asked to stop.
    private static async Task<bool> WalkDirectoryAsync(FilesystemDriver driver, RootedPaths paths, string path, string full, WalkVisitor visitor, string? hint, CancellationToken cancellationToken)
    {
        List<StorageFileInfo> children;
        try
        {
            children = await driver.RegulatedAsync("walk", path, () => Task.FromResult(Entries(paths, full)
                .Select(e => e.IsDirectory
                    ? StorageFileInfo.Directory(StoragePath.Combine(path, e.Name), e.ModTime)
                    : StorageFileInfo.File(StoragePath.Combine(path, e.Name), e.Size, e.ModTime))
                .Where(e => StoragePath.IsAfterHint(StoragePath.WalkKey(e), hint)
                    || (e.IsDirectory && hint!.StartsWith(e.Path + "/", StringComparison.Ordinal)))
                .ToList()), cancellationToken).ConfigureAwait(false);
        }
        catch (PathNotFoundException)
        {
            return true; // removed while we walked: nothing left to visit
        }

        children.Sort(StoragePath.WalkOrder);
        foreach (var child in children)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (StoragePath.IsAfterHint(StoragePath.WalkKey(child), hint))
            {
                var decision = await visitor(child, cancellationToken).ConfigureAwait(false);
                if (decision == WalkDecision.Stop)
                {
                    return false;
                }

                if (decision == WalkDecision.SkipDirectory)
                {
                    continue;
                }
            }

            if (child.IsDirectory && !await WalkDirectoryAsync(driver, paths, child.Path, Path.Join(full, StoragePath.Name(child.Path)), visitor, hint, cancellationToken).ConfigureAwait(false))
            {
                return false;
            }
        }

        return true;
    }

    private static List<Entry> Entries(RootedPaths paths, string directory)
    {
        var entries = new FileSystemEnumerable<Entry>(directory,
            (ref FileSystemEntry e) => new Entry(
                e.FileName.ToString(),
                (e.Attributes & FileAttributes.ReparsePoint) != 0,
                e.IsDirectory,
                e.IsDirectory ? 0 : e.Length,
                e.LastWriteTimeUtc),
            AllEntries)
        {
            ShouldIncludePredicate = (ref FileSystemEntry e) => IsStorageName(e.FileName),
        };

        var result = new List<Entry>();
        foreach (var entry in entries)
        {
            if (!entry.IsLink)
            {
                result.Add(entry);
                continue;
            }

            // A link is reported as what it points to, and only when that lies inside the root.
            var linkPath = Path.Join(directory, entry.Name);
            if (paths.IsEscapingLink(linkPath))
            {
                continue;
            }

            switch (RootedPaths.Describe(linkPath))
            {
                case FileInfo file:
                    result.Add(entry with { IsDirectory = false, Size = file.Length, ModTime = file.LastWriteTimeUtc });
                    break;
                case DirectoryInfo folder:
                    result.Add(entry with { IsDirectory = true, Size = 0, ModTime = folder.LastWriteTimeUtc });
                    break;
            }
        }

        return result;
    }

    private static bool IsStorageName(ReadOnlySpan<char> name)
    {
        if (name.IsEmpty || name is "." or "..")
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!(c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '.' or '_' or '-'))
            {
                return false;
            }
        }

        return true;
    }

    private sealed record Entry(string Name, bool IsLink, bool IsDirectory, long Size, DateTimeOffset ModTime);
}
