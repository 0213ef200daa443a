namespace Registry.Storage.Kit;

/// <summary>
/// Lists the children of <paramref name="directory"/> with their infos, in any order, for
/// <see cref="DirectoryWalk"/>. Throws <see cref="PathNotFoundException"/> when the directory is
/// missing.
/// </summary>
/// <param name="directory">The directory to list.</param>
/// <param name="mayVisit">
/// Whether a child path can still lead to a visit given the start-after hint. A lister whose infos
/// cost a call per child (a Stat) leaves out the others before fetching them; the walk drops them
/// anyway, so a lister that gets infos for free may ignore it.
/// </param>
/// <param name="cancellationToken">Cancels the listing.</param>
public delegate ValueTask<IReadOnlyCollection<StorageFileInfo>> DirectoryLister(string directory, Func<string, bool> mayVisit, CancellationToken cancellationToken);

/// <summary>
/// A walk over a tree that is listed one directory at a time (the loop of distribution's
/// <c>WalkFallback</c>): children are visited in walk order (<see cref="StoragePath.WalkKey"/>),
/// a directory's subtree right after it, with skip-directory, stop and the start-after hint.
/// The hint prunes whole subtrees without listing them. A directory that disappears while the
/// walk is under way is walked as empty; the starting directory missing is an error.
/// </summary>
public static class DirectoryWalk
{
    /// <summary>Walks the tree below <paramref name="path"/>, listing each directory with <paramref name="listChildren"/>.</summary>
    public static async Task WalkAsync(string path, DirectoryLister listChildren, WalkVisitor visitor, WalkOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(listChildren);
        ArgumentNullException.ThrowIfNull(visitor);
        var hint = string.IsNullOrEmpty(options?.StartAfterHint) ? null : options!.StartAfterHint;
        var walk = new Walk(listChildren, visitor, hint);
        await walk.DirectoryAsync(path, isStart: true, cancellationToken).ConfigureAwait(false);
    }

    private sealed class Walk(DirectoryLister listChildren, WalkVisitor visitor, string? hint)
    {
        private readonly Func<string, bool> _mayVisit = hint is { } h ? child => MayVisit(child, h) : static _ => true;

        // Returns false once the visitor asked to stop.
        public async Task<bool> DirectoryAsync(string directory, bool isStart, CancellationToken cancellationToken)
        {
            StorageFileInfo[] children;
            try
            {
                var listed = await listChildren(directory, _mayVisit, cancellationToken).ConfigureAwait(false);
                children = listed.Where(child => _mayVisit(child.Path)).ToArray();
            }
            catch (PathNotFoundException) when (!isStart)
            {
                return true; // the directory went away while we walked
            }

            Array.Sort(children, StoragePath.WalkOrder);
            foreach (var child in children)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (hint is null || StoragePath.CompareWalkKeys(child.Path, child.IsDirectory, hint, isDirectoryB: false) > 0)
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

                if (child.IsDirectory && !await DirectoryAsync(child.Path, isStart: false, cancellationToken).ConfigureAwait(false))
                {
                    return false;
                }
            }

            return true;
        }

        // A file or a directory at `child` sorts at or before "child/", and so does everything
        // below it; when that is at or before the hint and the hint is not inside `child`, the
        // whole subtree was walked already.
        private static bool MayVisit(string child, string hint) =>
            StoragePath.CompareWalkKeys(child, isDirectoryA: true, hint, isDirectoryB: false) > 0
            || (hint.Length > child.Length && hint[child.Length] == '/' && hint.StartsWith(child, StringComparison.Ordinal));
    }
}
