using System.Runtime.CompilerServices;
using Registry.Storage.Kit;

namespace Registry.Storage.Drivers.Swift;

/// <summary>
/// Stat, List and Walk over container listings. Walk is native: one flat listing below the
/// path (paged by marker, starting at the start-after hint) fed through <see cref="FlatWalk"/>,
/// instead of a List and a Stat per directory.
/// </summary>
internal sealed class SwiftLister(SwiftClient client, SwiftLayout layout)
{
    public async Task<StorageFileInfo> StatAsync(string path, CancellationToken cancellationToken)
    {
        if (path == StoragePath.Root)
        {
            return StorageFileInfo.Directory(path);
        }

        if (await client.HeadAsync(layout.ObjectKey(path), cancellationToken).ConfigureAwait(false) is { } info)
        {
            return StorageFileInfo.File(path, info.Size, info.ModTime);
        }

        // Directories exist only through their children.
        return await HasChildrenAsync(layout.DirectoryPrefix(path), cancellationToken).ConfigureAwait(false)
            ? StorageFileInfo.Directory(path)
            : throw DriverErrors.PathNotFound(SwiftErrors.DriverName, path);
    }

    public async IAsyncEnumerable<string> ListAsync(string path, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var prefix = layout.DirectoryPrefix(path);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var any = false;
        await foreach (var entry in client.ListAsync(prefix, true, null, cancellationToken).ConfigureAwait(false))
        {
            if (entry.Name.Length <= prefix.Length)
            {
                continue; // a pseudo-directory marker object named exactly like the folder
            }

            var child = layout.PathOf(entry.Name);
            any = true;
            // A file and a folder of the same name both list (not always adjacently: "b-c" sorts
            // between "b" and "b/"); report the name once.
            if (seen.Add(child))
            {
                yield return child;
            }
        }

        if (!any && path != StoragePath.Root)
        {
            throw DriverErrors.PathNotFound(SwiftErrors.DriverName, path);
        }
    }

    public async Task WalkAsync(string path, WalkVisitor visitor, WalkOptions? options, CancellationToken cancellationToken)
    {
        var prefix = layout.DirectoryPrefix(path);
        var hint = options?.StartAfterHint;
        // Names at or before the hint are never reported: start the listing there.
        var marker = !string.IsNullOrEmpty(hint) && string.CompareOrdinal(layout.ObjectKey(hint), prefix) > 0 ? layout.ObjectKey(hint) : null;
        var walk = new FlatWalk(path, visitor, options);
        var any = false;
        await foreach (var entry in client.ListAsync(prefix, false, marker, cancellationToken).ConfigureAwait(false))
        {
            if (!layout.IsFileKey(entry.Name))
            {
                continue;
            }

            any = true;
            var size = entry.Bytes;
            if (size == 0 && !entry.IsStaticLargeObject)
            {
                // A DLO manifest lists as zero bytes; its HEAD tells the real size.
                size = (await client.HeadAsync(entry.Name, cancellationToken).ConfigureAwait(false))?.Size ?? 0;
            }

            if (!await walk.AddFileAsync(StorageFileInfo.File(layout.PathOf(entry.Name), size, entry.LastModified), cancellationToken).ConfigureAwait(false))
            {
                return;
            }
        }

        if (!any && path != StoragePath.Root && (marker is null || !await HasChildrenAsync(prefix, cancellationToken).ConfigureAwait(false)))
        {
            throw DriverErrors.PathNotFound(SwiftErrors.DriverName, path);
        }
    }

    private async Task<bool> HasChildrenAsync(string prefix, CancellationToken cancellationToken)
    {
        await foreach (var entry in client.ListAsync(prefix, true, null, cancellationToken, pageSize: 1).ConfigureAwait(false))
        {
            _ = entry;
            return true;
        }

        return false;
    }
}
