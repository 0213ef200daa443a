using System.Diagnostics;
using Registry.Server.Layout;
using Registry.Storage;

namespace Registry.Server.Maintenance;

/// <summary>
/// distribution's <c>registry garbage-collect</c> over any driver, on native walks: mark every
/// manifest revision of every repository (with <see cref="GarbageCollectionOptions.DeleteUntagged"/>,
/// only the tagged ones and what they need) and everything it references, recursively through
/// indexes; then sweep the blobs nothing marked. Names the same blobs and manifests as
/// distribution 2.8.2 except where 2.8.2 loses data (the entries of a tagged index under
/// <c>--delete-untagged</c>) and where the grace period keeps recent content (docs/maintenance.md).
/// </summary>
/// <remarks>
/// Safe against pushes running at the same time, by three rules: blobs whose <c>data</c> is newer
/// than mark start − grace are never swept (an upload whose manifest has not come yet); before
/// sweeping, the repositories are walked again and every revision or layer link created since
/// the first walk, or newer than the cut-off, marks what it names (a push that reused an old,
/// unreferenced blob); untagged revisions newer than the cut-off are kept (a push by digest
/// whose tag follows). docs/maintenance.md describes the window that remains.
/// </remarks>
public sealed class GarbageCollector(IStorageDriver driver, TimeProvider? timeProvider = null)
{
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    /// <summary>Test hook: called with a phase name (<c>marked</c>) before the re-scan, to push in between.</summary>
    internal Func<string, CancellationToken, Task>? PhaseHook { get; set; }

    /// <summary>Runs one collection.</summary>
    /// <exception cref="InvalidDataException">A manifest revision is not a JSON manifest: nothing is deleted.</exception>
    public async Task<GarbageCollectionResult> RunAsync(GarbageCollectionOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var progress = options.Progress;
        var started = _time.GetUtcNow();
        var cutoff = started - options.Grace;
        var clock = Stopwatch.StartNew();
        var phases = new List<PhaseTime>();
        var lap = TimeSpan.Zero;
        void Lap(string phase)
        {
            phases.Add(new PhaseTime(phase, clock.Elapsed - lap));
            lap = clock.Elapsed;
        }

        // The two walks run at once, and the manifests (and tags) are read as soon as the
        // repositories are known, while the blob walk goes on: each phase's time below is the
        // stretch of wall clock up to its end, not its own duration.
        progress?.Report(new MaintenanceProgress("scan", 0, null));
        var blobScan = Task.Run(() => BlobScanner.ScanAsync(driver, cancellationToken), cancellationToken);
        var reads = Task.CompletedTask;
        var cache = new ManifestCache(driver);
        SortedDictionary<string, RepositoryContents> repositories;
        try
        {
            // Only what this run needs is walked (ScannedParts): on a driver that lists directory by
            // directory, the _layers links and the tags are most of the tree.
            repositories = await RepositoryScanner.ScanAsync(driver, null, cancellationToken, ScannedParts(options));
            Lap("scan repositories");
            reads = Task.WhenAll(
                cache.LoadAsync(repositories.Values.SelectMany(r => r.Revisions).Select(r => r.Digest), options.Parallelism, progress, cancellationToken),
                options.DeleteUntagged ? RepositoryScanner.ReadTagsAsync(driver, repositories.Values, options.Parallelism, cancellationToken) : Task.CompletedTask);
            await blobScan;
            Lap("scan blobs");
        }
        finally
        {
            // Whatever failed, nothing started here outlives the run.
            await Task.WhenAll(blobScan, reads).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        var (blobs, _) = await blobScan;
        await reads;
        Lap("read manifests and tags");

        var marker = new Marker(cache);
        var untagged = new List<(RepositoryContents Repository, LinkEntry Revision)>();
        foreach (var repository in repositories.Values)
        {
            var (kept, deleted) = await RevisionPlanner.PlanAsync(repository, blobs.ContainsKey, cache, options.DeleteUntagged, cutoff, cancellationToken);
            foreach (var digest in kept)
            {
                await marker.MarkManifestAsync(digest, cancellationToken);
            }

            untagged.AddRange(deleted.Select(d => (repository, d)));
        }

        progress?.Report(new MaintenanceProgress("mark", marker.Marked.Count, marker.Marked.Count));
        var unmarked = blobs.Values.Where(b => !marker.Marked.Contains(b.Digest)).ToList();
        var candidates = unmarked.Where(b => b.ModTime < cutoff).Select(b => b.Digest).ToHashSet();
        var recent = unmarked.Where(b => b.ModTime >= cutoff).Select(ToCollected).OrderBy(b => b.Digest, StringComparer.Ordinal).ToList();
        var markTime = clock.Elapsed;
        Lap("mark");

        var rescued = 0;
        var layerLinksRemoved = 0;
        if (!options.DryRun && (candidates.Count > 0 || untagged.Count > 0))
        {
            if (PhaseHook is { } hook)
            {
                await hook("marked", cancellationToken);
            }

            progress?.Report(new MaintenanceProgress("rescan", 0, null));
            var before = candidates.Count;
            untagged = await RescanAsync(repositories, cutoff, options, marker, candidates, untagged, cancellationToken);
            rescued = before - candidates.Count;
            Lap("rescan");

            progress?.Report(new MaintenanceProgress("sweep", 0, candidates.Count + untagged.Count));
            foreach (var (repository, revision) in untagged)
            {
                await Sweeper.RemoveManifestAsync(driver, repository, revision.Digest, cancellationToken);
            }

            Lap("delete manifests");

            // The blobs (their directories, as distribution's RemoveBlob) and the stale _layers links
            // pointing at them, in one pool of deletes.
            var staleLinks = repositories.Values.SelectMany(r => r.Layers).Where(l => candidates.Contains(l.Digest) && l.ModTime < cutoff).ToList();
            var deletions = candidates.Select(RegistryPaths.BlobDirectory).Concat(staleLinks.Select(l => StoragePath.Parent(l.Path))).ToList();
            await Parallel.ForEachAsync(deletions, new ParallelOptions { MaxDegreeOfParallelism = options.Parallelism, CancellationToken = cancellationToken },
                (path, ct) => new ValueTask(Sweeper.DeleteIfPresentAsync(driver, path, ct)));
            layerLinksRemoved = staleLinks.Count;
            Lap("delete blobs and layer links");
        }

        return new GarbageCollectionResult
        {
            MarkStartedAt = started,
            DryRun = options.DryRun,
            Repositories = repositories.Count,
            Marked = marker.Marked.Count,
            BlobsScanned = blobs.Count,
            Manifests = untagged.Select(u => new CollectedManifest(
                u.Repository.Name,
                u.Revision.Digest.ToString(),
                u.Repository.Tags.Values.Where(t => t.Index.Any(e => e.Digest == u.Revision.Digest)).Select(t => t.Name).ToList())).ToList(),
            Blobs = candidates.Select(d => ToCollected(blobs[d])).OrderBy(b => b.Digest, StringComparer.Ordinal).ToList(),
            KeptAsRecent = recent,
            Rescued = rescued,
            LayerLinksRemoved = layerLinksRemoved,
            MarkTime = markTime,
            SweepTime = clock.Elapsed - markTime,
            Phases = phases,
        };
    }

    /// <summary>
    /// Walks the repositories again: revisions and layer links that are new since the first walk
    /// (or newer than the cut-off) mark what they name, and an untagged revision that a tag now
    /// names is kept. Returns the untagged revisions still to delete; removes rescued blobs from
    /// <paramref name="candidates"/>.
    /// </summary>
    private async Task<List<(RepositoryContents Repository, LinkEntry Revision)>> RescanAsync(
        SortedDictionary<string, RepositoryContents> first, DateTimeOffset cutoff, GarbageCollectionOptions options, Marker marker,
        HashSet<Digest> candidates, List<(RepositoryContents Repository, LinkEntry Revision)> untagged, CancellationToken cancellationToken)
    {
        var again = await RepositoryScanner.ScanAsync(driver, null, cancellationToken, ScannedParts(options));
        var markedBefore = marker.Marked.ToHashSet();
        var seenRevisions = first.Values.SelectMany(r => r.Revisions.Select(l => (r.Name, l.Path, l.ModTime))).ToHashSet();
        var seenLayers = first.Values.SelectMany(r => r.Layers.Select(l => (r.Name, l.Path, l.ModTime))).ToHashSet();
        if (options.DeleteUntagged)
        {
            await RepositoryScanner.ReadTagsAsync(driver, again.Values, options.Parallelism, cancellationToken);
        }

        var stillUntagged = new List<(RepositoryContents Repository, LinkEntry Revision)>();
        foreach (var (repository, revision) in untagged)
        {
            var now = again.GetValueOrDefault(repository.Name);
            var tagged = now is not null && now.Tags.Values.Any(t => t.CurrentTarget == revision.Digest);
            var rewritten = now is not null && now.Revisions.Any(r => r.Digest == revision.Digest && r.ModTime != revision.ModTime);
            if (tagged || rewritten)
            {
                await marker.MarkManifestAsync(revision.Digest, cancellationToken);
            }
            else
            {
                stillUntagged.Add((repository, revision));
            }
        }

        foreach (var repository in again.Values)
        {
            foreach (var revision in repository.Revisions.Where(l => l.ModTime >= cutoff || !seenRevisions.Contains((repository.Name, l.Path, l.ModTime))))
            {
                await marker.MarkManifestAsync(revision.Digest, cancellationToken);
            }

            foreach (var layer in repository.Layers.Where(l => l.ModTime >= cutoff || !seenLayers.Contains((repository.Name, l.Path, l.ModTime))))
            {
                marker.Marked.Add(layer.Digest);
            }
        }

        // An index tagged or pushed since the mark keeps the revisions it lists.
        stillUntagged.RemoveAll(u => marker.Marked.Contains(u.Revision.Digest) && !markedBefore.Contains(u.Revision.Digest));
        candidates.ExceptWith(marker.Marked);
        return stillUntagged;
    }

    private static CollectedBlob ToCollected(BlobEntry blob) => new(blob.Digest.ToString(), blob.Size);

    // The _layers links serve the sweep and the re-scan, which a dry run has not; the tags count only with DeleteUntagged.
    private static RepositoryParts ScannedParts(GarbageCollectionOptions options) =>
        (options.DryRun ? RepositoryParts.None : RepositoryParts.Layers) | (options.DeleteUntagged ? RepositoryParts.Tags : RepositoryParts.None);
}
