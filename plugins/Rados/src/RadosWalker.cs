using Registry.Storage.Drivers.Rados.Native;
using Registry.Storage.Kit;

namespace Registry.Storage.Drivers.Rados;

/// <summary>
/// Walk straight from the directory omaps: each directory's entries already carry size and
/// mtime, so no Stat per entry. <see cref="DirectoryWalk"/> visits children in walk order
/// (<see cref="StoragePath.WalkKey"/>, which differs from omap key order: <c>a-b</c> comes
/// before directory <c>a/</c>); the start-after hint skips whole subtrees unread. Each omap read
/// is a round trip to an OSD, so the subdirectories ahead are read <see cref="ListingsAhead"/> at a time.
/// </summary>
internal static class RadosWalker
{
    /// <summary>Directory omaps read ahead of the visits.</summary>
    public const int ListingsAhead = 8;

    public static async Task WalkAsync(RadosDirectoryIndex index, string path, WalkVisitor visitor, WalkOptions? options, CancellationToken cancellationToken)
    {
        if (path != StoragePath.Root && await index.LookupAsync(path, cancellationToken).ConfigureAwait(false) is not { IsDirectory: true })
        {
            throw DriverErrors.PathNotFound(RadosDriver.DriverName, path);
        }

        await DirectoryWalk.WalkAsync(path, (directory, mayVisit, ct) => ChildrenAsync(index, directory, mayVisit, ct), visitor, options, ListingsAhead, cancellationToken).ConfigureAwait(false);
    }

    private static async ValueTask<IReadOnlyCollection<StorageFileInfo>> ChildrenAsync(RadosDirectoryIndex index, string directory, Func<string, bool> mayVisit, CancellationToken cancellationToken)
    {
        var children = new List<StorageFileInfo>();
        try
        {
            await foreach (var entry in index.ListAsync(directory, cancellationToken).ConfigureAwait(false))
            {
                if (entry.Kind == EntryKind.Upload)
                {
                    continue; // uploads in progress are not visible
                }

                var child = StoragePath.Combine(directory, entry.Name);
                if (mayVisit(child))
                {
                    children.Add(entry.ToFileInfo(child));
                }
            }
        }
        catch (RadosException ex) when (ex.Errno == Errno.ENOENT)
        {
            return []; // no entries (the root of an empty tree, or a directory removed meanwhile)
        }

        return children;
    }
}
