using Registry.Storage.Drivers.Rados.Native;

namespace Registry.Storage.Drivers.Rados;

/// <summary>
/// Walk straight from the directory omaps: each directory's entries already carry size and
/// mtime, so no Stat per entry. Children are visited in walk order
/// (<see cref="StoragePath.WalkKey"/>, which differs from omap key order: <c>a-b</c> comes
/// before directory <c>a/</c>); the start-after hint skips whole subtrees unread.
/// </summary>
internal static class RadosWalker
{
    public static async Task WalkAsync(RadosDirectoryIndex index, string path, WalkVisitor visitor, WalkOptions? options, CancellationToken cancellationToken)
    {
        if (path != StoragePath.Root && await index.LookupAsync(path, cancellationToken).ConfigureAwait(false) is not { IsDirectory: true })
        {
            throw DriverErrors.PathNotFound(RadosDriver.DriverName, path);
        }

        var hint = string.IsNullOrEmpty(options?.StartAfterHint) ? null : options!.StartAfterHint;
        await WalkDirectoryAsync(index, path, visitor, hint, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<bool> WalkDirectoryAsync(RadosDirectoryIndex index, string directory, WalkVisitor visitor, string? hint, CancellationToken cancellationToken)
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

                // A file and a directory named `child` both sort before "child/": when that is at
                // or before the hint (and the hint is not inside it), the subtree was walked already.
                if (hint is not null && !StoragePath.IsAfterHint(child + "/", hint) && !hint.StartsWith(child + "/", StringComparison.Ordinal))
                {
                    continue;
                }

                children.Add(entry.ToFileInfo(child));
            }
        }
        catch (RadosException ex) when (ex.Errno == Errno.ENOENT)
        {
            return true; // no entries (the root of an empty tree, or a directory removed meanwhile)
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

            if (child.IsDirectory && !await WalkDirectoryAsync(index, child.Path, visitor, hint, cancellationToken).ConfigureAwait(false))
            {
                return false;
            }
        }

        return true;
    }
}
