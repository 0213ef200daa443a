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
/// <remarks>
/// With <c>listingsAhead</c> above zero, the subdirectories a walk is about to enter are listed
/// ahead, that many at a time on the thread pool, while the visitor works through what came
/// before: a walk is otherwise one listing round trip after another. Visits stay in walk order
/// on one logical thread; a listing whose directory is skipped, or that is still running when
/// the walk stops or fails, is cancelled and waited for before the walk returns, so no listing
/// outlives it. Memory: at most <c>listingsAhead</c> listings per level of the tree held early.
/// </remarks>
public static class DirectoryWalk
{
    /// <summary>Walks the tree below <paramref name="path"/>, listing each directory with <paramref name="listChildren"/>, one listing at a time.</summary>
    public static Task WalkAsync(string path, DirectoryLister listChildren, WalkVisitor visitor, WalkOptions? options, CancellationToken cancellationToken) =>
        WalkAsync(path, listChildren, visitor, options, listingsAhead: 0, cancellationToken);

    /// <summary>Walks the tree below <paramref name="path"/>, listing up to <paramref name="listingsAhead"/> subdirectories ahead of the visits.</summary>
    public static async Task WalkAsync(string path, DirectoryLister listChildren, WalkVisitor visitor, WalkOptions? options, int listingsAhead, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(listChildren);
        ArgumentNullException.ThrowIfNull(visitor);
        ArgumentOutOfRangeException.ThrowIfNegative(listingsAhead);
        var hint = string.IsNullOrEmpty(options?.StartAfterHint) ? null : options!.StartAfterHint;
        using var stopListings = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var walk = new Walk(listChildren, visitor, hint, listingsAhead, stopListings.Token);
        try
        {
            await walk.DirectoryAsync(path, await walk.ListAsync(path, isStart: true, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await stopListings.CancelAsync().ConfigureAwait(false);
            await walk.AwaitListingsAheadAsync().ConfigureAwait(false);
        }
    }

    private sealed class Walk(DirectoryLister listChildren, WalkVisitor visitor, string? hint, int listingsAhead, CancellationToken listingsAheadToken)
    {
        private readonly Func<string, bool> _mayVisit = hint is { } h ? child => MayVisit(child, h) : static _ => true;
        private readonly SemaphoreSlim? _aheadSlots = listingsAhead > 0 ? new SemaphoreSlim(listingsAhead) : null;
        private readonly HashSet<Task> _unread = []; // listings started ahead and not awaited by the walk yet

        /// <summary>The children of <paramref name="directory"/> the walk may visit, in walk order; null when it vanished (not the start).</summary>
        public async Task<StorageFileInfo[]?> ListAsync(string directory, bool isStart, CancellationToken cancellationToken)
        {
            StorageFileInfo[] children;
            try
            {
                var listed = await listChildren(directory, _mayVisit, cancellationToken).ConfigureAwait(false);
                children = listed.Where(child => _mayVisit(child.Path)).ToArray();
            }
            catch (PathNotFoundException) when (!isStart)
            {
                return null; // the directory went away while we walked
            }

            Array.Sort(children, StoragePath.WalkOrder);
            return children;
        }

        // Returns false once the visitor asked to stop.
        public async Task<bool> DirectoryAsync(string directory, StorageFileInfo[]? children, CancellationToken cancellationToken)
        {
            if (children is null)
            {
                return true;
            }

            var ahead = _aheadSlots is null ? null : new Queue<(string Path, Task<StorageFileInfo[]?> Listing)>();
            var nextToList = ahead is null ? 0 : StartListingsAhead(children, 0, ahead);
            foreach (var child in children)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var decision = WalkDecision.Continue;
                if (hint is null || StoragePath.CompareWalkKeys(child.Path, child.IsDirectory, hint, isDirectoryB: false) > 0)
                {
                    decision = await visitor(child, cancellationToken).ConfigureAwait(false);
                    if (decision == WalkDecision.Stop)
                    {
                        return false;
                    }
                }

                if (!child.IsDirectory)
                {
                    continue;
                }

                Task<StorageFileInfo[]?>? listing = null;
                if (ahead is not null)
                {
                    if (ahead.TryPeek(out var first) && first.Path == child.Path)
                    {
                        listing = ahead.Dequeue().Listing;
                        nextToList = StartListingsAhead(children, nextToList, ahead);
                    }
                }

                if (decision == WalkDecision.SkipDirectory)
                {
                    if (listing is { IsCompleted: true })
                    {
                        _unread.Remove(listing); // dropped with its result (a failure read here); one still running is waited for at the end
                        _ = listing.Exception;
                    }

                    continue;
                }

                StorageFileInfo[]? grandchildren;
                if (listing is null)
                {
                    grandchildren = await ListAsync(child.Path, isStart: false, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    _unread.Remove(listing);
                    grandchildren = await listing.ConfigureAwait(false);
                }

                if (!await DirectoryAsync(child.Path, grandchildren, cancellationToken).ConfigureAwait(false))
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>Waits for every listing started ahead (they are cancelled by then); their failures were either read by the walk or are moot.</summary>
        public async Task AwaitListingsAheadAsync()
        {
            foreach (var listing in _unread)
            {
                try
                {
                    await listing.ConfigureAwait(false);
                }
                catch (Exception)
                {
                    // cancelled, or failed for a directory the walk never entered
                }
            }
        }

        // Keeps the next `listingsAhead` subdirectories of this level (from `next` on) listing; returns the new `next`.
        private int StartListingsAhead(StorageFileInfo[] children, int next, Queue<(string Path, Task<StorageFileInfo[]?> Listing)> ahead)
        {
            for (; next < children.Length && ahead.Count < listingsAhead; next++)
            {
                if (children[next].IsDirectory)
                {
                    var path = children[next].Path;
                    var listing = Task.Run(() => ListAheadAsync(path), CancellationToken.None);
                    _unread.Add(listing);
                    ahead.Enqueue((path, listing));
                }
            }

            return next;
        }

        private async Task<StorageFileInfo[]?> ListAheadAsync(string directory)
        {
            await _aheadSlots!.WaitAsync(listingsAheadToken).ConfigureAwait(false);
            try
            {
                return await ListAsync(directory, isStart: false, listingsAheadToken).ConfigureAwait(false);
            }
            finally
            {
                _aheadSlots.Release();
            }
        }

        // A file or a directory at `child` sorts at or before "child/", and so does everything
        // below it; when that is at or before the hint and the hint is not inside `child`, the
        // whole subtree was walked already.
        private static bool MayVisit(string child, string hint) =>
            StoragePath.CompareWalkKeys(child, isDirectoryA: true, hint, isDirectoryB: false) > 0
            || (hint.Length > child.Length && hint[child.Length] == '/' && hint.StartsWith(child, StringComparison.Ordinal));
    }
}
