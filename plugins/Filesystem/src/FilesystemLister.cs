using System.IO.Enumeration;
using Registry.Storage.Kit;

namespace Registry.Storage.Drivers.Filesystem;

/// <summary>
/// List, Walk and the pending uploads over directory enumeration. Names outside the path rule (hidden uploads,
/// PutContent's temp files, anything a storage path cannot name) and links that lead outside
/// the root are never reported. Walk reads size and time with one directory read per directory and
/// one <c>statx</c> per entry relative to it (<see cref="DirectoryStat"/>), and reads
/// the subdirectories ahead of the visits on <see cref="ListingsAhead"/> threads: the reads are
/// system calls that leave the other cores idle.
/// </summary>
internal static class FilesystemLister
{
    /// <summary>Directories read ahead of the visits: one per core (at least two, at most eight).</summary>
    public static readonly int ListingsAhead = Math.Clamp(Environment.ProcessorCount, 2, 8);

    // Dot-files are valid storage names: do not let .NET's default skip "hidden" entries.
    private static readonly EnumerationOptions AllEntries = new()
    {
        AttributesToSkip = 0,
        IgnoreInaccessible = false,
        RecurseSubdirectories = false,
        ReturnSpecialDirectories = false,
    };

    // The same, without links (recognised from the directory entry's type).
    private static readonly EnumerationOptions NoLinks = new()
    {
        AttributesToSkip = FileAttributes.ReparsePoint,
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

        // Names come from the directory read alone: the kernel's entry type tells links from the rest,
        // so no entry is stat-ed (reading size and time, as Entries does for Walk, cost an lstat per
        // entry: 1 000 for a 1 000-entry List, where `ls` makes none). Links, which are rare, are then
        // checked one by one as Entries checks them.
        var names = Names(full, NoLinks);
        if (Names(full, AllEntries) is { } all && all.Count != names.Count)
        {
            var plain = names.ToHashSet(StringComparer.Ordinal);
            foreach (var link in all.Where(n => !plain.Contains(n)))
            {
                var linkPath = Path.Join(full, link);
                if (!paths.IsEscapingLink(linkPath) && RootedPaths.Describe(linkPath) is not null)
                {
                    names.Add(link);
                }
            }
        }

        return names;
    }

    // One directory read, names only: AttributesToSkip of links or directories is decided from the
    // entry type the read returns, without a stat.
    private static List<string> Names(string directory, EnumerationOptions options) =>
        [.. new FileSystemEnumerable<string>(directory, (ref FileSystemEntry e) => e.FileName.ToString(), options)
        {
            ShouldIncludePredicate = (ref FileSystemEntry e) => IsStorageName(e.FileName),
        }];

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

        await DirectoryWalk.WalkAsync(path, (directory, _, ct) => ChildrenAsync(driver, paths, directory, ct), visitor, options, ListingsAhead, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The uploads at or below <paramref name="path"/>: the hidden upload file of the path itself
    /// (<c>&lt;target&gt;~upload</c>) and every one below it, with the file's size and last write.
    /// Links are neither reported nor descended into (a link inside the root reaches files that
    /// are listed where they really are).
    /// </summary>
    public static List<PendingUpload> ListUploads(RootedPaths paths, string path)
    {
        var full = paths.Resolve(path);
        var uploads = new List<PendingUpload>();
        if (path != StoragePath.Root && RootedPaths.ReadLink(full + FilesystemDriver.UploadSuffix) is null
            && new FileInfo(full + FilesystemDriver.UploadSuffix) is { Exists: true } own)
        {
            uploads.Add(new PendingUpload(path, own.Length, own.LastWriteTimeUtc));
        }

        if (!Directory.Exists(full))
        {
            return uploads;
        }

        var below = new FileSystemEnumerable<PendingUpload?>(full,
            (ref FileSystemEntry e) => UploadOf(path, full, ref e),
            new EnumerationOptions { AttributesToSkip = FileAttributes.ReparsePoint, IgnoreInaccessible = false, RecurseSubdirectories = true, ReturnSpecialDirectories = false })
        {
            ShouldRecursePredicate = (ref FileSystemEntry e) => IsStorageName(e.FileName),
            ShouldIncludePredicate = (ref FileSystemEntry e) => !e.IsDirectory && e.FileName.EndsWith(FilesystemDriver.UploadSuffix, StringComparison.Ordinal),
        };
        uploads.AddRange(below.OfType<PendingUpload>());
        return uploads;
    }

    // The upload a hidden upload file stands for, or null when its name is not that of a storage path.
    private static PendingUpload? UploadOf(string path, string full, ref FileSystemEntry entry)
    {
        var relative = Path.GetRelativePath(full, entry.ToFullPath());
        var target = StoragePath.Combine(path, relative[..^FilesystemDriver.UploadSuffix.Length]);
        return StoragePath.IsValid(target) ? new PendingUpload(target, entry.Length, entry.LastWriteTimeUtc) : null;
    }

    // One directory read, under the driver's regulator, with size and time from the enumeration.
    private static async ValueTask<IReadOnlyCollection<StorageFileInfo>> ChildrenAsync(FilesystemDriver driver, RootedPaths paths, string directory, CancellationToken cancellationToken)
    {
        try
        {
            // The start was resolved (links checked) by WalkAsync, and Entries hides escaping links
            // below it, so the directories here map to the root lexically, as Resolve would.
            var full = directory == StoragePath.Root ? paths.Root : paths.Root.TrimEnd('/') + directory;
            return await driver.RegulatedAsync("walk", directory, () => Task.FromResult(Entries(paths, full)
                .Select(e => e.IsDirectory
                    ? StorageFileInfo.Directory(StoragePath.Combine(directory, e.Name), e.ModTime)
                    : StorageFileInfo.File(StoragePath.Combine(directory, e.Name), e.Size, e.ModTime))
                .ToList()), cancellationToken).ConfigureAwait(false);
        }
        catch (PathNotFoundException)
        {
            return []; // removed while we walked: nothing left to visit
        }
    }

    private static List<Entry> Entries(RootedPaths paths, string directory)
    {
        var result = new List<Entry>();
        using var stat = DirectoryStat.Open(directory);
        if (stat is not null)
        {
            foreach (var name in Names(directory, AllEntries))
            {
                if (stat.TryStat(name, out var s))
                {
                    Add(new Entry(name, s.IsLink, s.IsDirectory, s.IsDirectory ? 0 : s.Size, s.ModTime));
                }
            }

            return result;
        }

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
        foreach (var entry in entries)
        {
            Add(entry);
        }

        return result;

        void Add(Entry entry)
        {
            if (!entry.IsLink)
            {
                result.Add(entry);
                return;
            }

            // A link is reported as what it points to, and only when that lies inside the root.
            var linkPath = Path.Join(directory, entry.Name);
            if (paths.IsEscapingLink(linkPath))
            {
                return;
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
