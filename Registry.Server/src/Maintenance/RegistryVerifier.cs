using System.Collections.Concurrent;
using System.Diagnostics;
using Registry.Server.Layout;
using Registry.Storage;

namespace Registry.Server.Maintenance;

/// <summary>
/// Proves a registry's content: every blob re-hashed against the digest its path names (streamed,
/// in parallel, memory bounded by <see cref="VerificationOptions.Parallelism"/> buffers), every link
/// read and resolved (layer and revision links to blobs, tags to revisions, tag history, referrers),
/// every manifest's references present in its repository, and — over the whole registry — blobs no
/// repository links. One native walk of <c>repositories/</c> and one of <c>blobs/</c>.
/// </summary>
public sealed class RegistryVerifier(IStorageDriver driver)
{
    /// <summary>Runs the checks; findings stream to <see cref="VerificationOptions.OnProblem"/> and are returned.</summary>
    public async Task<VerificationResult> RunAsync(VerificationOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var clock = Stopwatch.StartNew();
        var problems = new ConcurrentBag<VerificationProblem>();
        var gate = new object();
        void Report(string kind, string path, string detail, bool error)
        {
            var problem = new VerificationProblem(kind, path, detail, error);
            problems.Add(problem);
            lock (gate)
            {
                options.OnProblem?.Invoke(problem);
            }
        }

        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.Parallelism, CancellationToken = cancellationToken };
        var only = options.Repositories.Count > 0 ? options.Repositories.ToHashSet(StringComparer.Ordinal) : null;
        options.Progress?.Report(new MaintenanceProgress("scan repositories", 0, null));
        var repositories = await RepositoryScanner.ScanAsync(driver, only, cancellationToken);
        foreach (var missing in only?.Where(n => !repositories.ContainsKey(n)) ?? [])
        {
            Report("missing-repository", RegistryPaths.Repositories + "/" + missing, $"repository {missing} does not exist", true);
        }

        options.Progress?.Report(new MaintenanceProgress("scan blobs", 0, null));
        var (blobs, unrecognised) = await BlobScanner.ScanAsync(driver, cancellationToken);
        if (only is null)
        {
            foreach (var path in unrecognised)
            {
                Report("unrecognised", path, "a file in the blob store that is not <alg>/<xx>/<hex>/data", false);
            }
        }

        // Links: read every one and check it names what its path says.
        var links = repositories.Values.SelectMany(r => r.Layers.Concat(r.Revisions).Concat(r.Tags.Values.SelectMany(t => t.Index)).Concat(r.Referrers.Select(x => x.Referrer))).ToList();
        options.Progress?.Report(new MaintenanceProgress("read links", 0, links.Count));
        await Parallel.ForEachAsync(links, parallel, async (link, ct) =>
        {
            var content = await RepositoryScanner.TryReadLinkAsync(driver, link.Path, ct);
            if (content != link.Digest)
            {
                Report("invalid-link", link.Path, content is null ? "does not hold a digest" : $"holds {content}, its path names {link.Digest}", true);
            }
        });
        await RepositoryScanner.ReadTagsAsync(driver, repositories.Values, options.Parallelism, cancellationToken);

        var cache = new ManifestCache(driver);
        var manifestsChecked = 0;
        foreach (var repository in repositories.Values)
        {
            foreach (var path in repository.Unrecognised)
            {
                Report("unrecognised", path, "not a link file in distribution's layout", false);
            }

            manifestsChecked += await CheckRepositoryAsync(repository, blobs, cache, Report, cancellationToken);
        }

        // Blobs: re-hash those in scope.
        var linked = repositories.Values.SelectMany(r => r.Layers.Concat(r.Revisions)).Select(l => l.Digest).ToHashSet();
        var toHash = only is null ? blobs.Values.ToList() : blobs.Values.Where(b => linked.Contains(b.Digest)).ToList();
        if (only is null)
        {
            foreach (var orphan in blobs.Values.Where(b => !linked.Contains(b.Digest)).OrderBy(b => b.Digest.ToString(), StringComparer.Ordinal))
            {
                Report("orphaned-blob", RegistryPaths.BlobData(orphan.Digest), $"{orphan.Digest} ({orphan.Size} bytes) is linked from no repository", false);
            }
        }

        long bytes = 0;
        var hashed = 0;
        await Parallel.ForEachAsync(toHash, parallel, async (blob, ct) =>
        {
            var path = RegistryPaths.BlobData(blob.Digest);
            try
            {
                var (actual, length) = await BlobHasher.HashAsync(driver, blob.Digest, ct);
                if (actual != blob.Digest)
                {
                    Report("digest-mismatch", path, $"content hashes to {actual}, not {blob.Digest}", true);
                }
                else if (length != blob.Size)
                {
                    Report("size-mismatch", path, $"read {length} bytes, listed as {blob.Size}", true);
                }

                Interlocked.Add(ref bytes, length);
            }
            catch (StorageDriverException e) when (e is not PathNotFoundException)
            {
                Report("unreadable", path, e.Message, true);
            }
            catch (PathNotFoundException)
            {
                // deleted since the scan
            }

            var n = Interlocked.Increment(ref hashed);
            if (n % 200 == 0 || n == toHash.Count)
            {
                options.Progress?.Report(new MaintenanceProgress("hash", n, toHash.Count));
            }
        });

        return new VerificationResult
        {
            Repositories = repositories.Count,
            LinksChecked = links.Count + repositories.Values.Sum(r => r.Tags.Count),
            ManifestsChecked = manifestsChecked,
            BlobsHashed = hashed,
            BytesHashed = bytes,
            Problems = problems.OrderBy(p => p.Path, StringComparer.Ordinal).ThenBy(p => p.Kind, StringComparer.Ordinal).ToList(),
            Elapsed = clock.Elapsed,
        };
    }

    private static async Task<int> CheckRepositoryAsync(RepositoryContents repository, Dictionary<Digest, BlobEntry> blobs, ManifestCache cache, Action<string, string, string, bool> report, CancellationToken cancellationToken)
    {
        var name = repository.Name;
        var revisions = repository.Revisions.Select(r => r.Digest).ToHashSet();
        var layers = repository.Layers.Select(l => l.Digest).ToHashSet();
        var needed = new HashSet<Digest>();
        var manifests = 0;
        foreach (var revision in repository.Revisions)
        {
            if (!blobs.ContainsKey(revision.Digest))
            {
                report("dangling-link", revision.Path, $"manifest {revision.Digest} of {name}: its blob is missing", true);
                continue;
            }

            ManifestReferences? references;
            try
            {
                references = await cache.GetAsync(revision.Digest, cancellationToken);
            }
            catch (InvalidDataException e)
            {
                report("invalid-manifest", RegistryPaths.BlobData(revision.Digest), $"{name}@{revision.Digest}: {e.Message}", true);
                continue;
            }

            if (references is null)
            {
                continue;
            }

            manifests++;
            foreach (var blob in references.Blobs.Where(b => !references.Foreign.Contains(b)))
            {
                needed.Add(blob);
                if (!layers.Contains(blob))
                {
                    report("missing-reference", revision.Path, $"{name}@{revision.Digest} references blob {blob}, which {name} does not link", true);
                }
            }

            foreach (var child in references.Manifests.Where(c => !revisions.Contains(c)))
            {
                report("missing-reference", revision.Path, $"{name}@{revision.Digest} lists manifest {child}, which {name} does not hold", true);
            }
        }

        foreach (var layer in repository.Layers.Where(l => !blobs.ContainsKey(l.Digest)))
        {
            if (needed.Contains(layer.Digest))
            {
                report("dangling-link", layer.Path, $"blob {layer.Digest} of {name} is needed by a manifest but missing from the blob store", true);
            }
            else
            {
                report("stale-layer-link", layer.Path, $"blob {layer.Digest} is missing; no manifest of {name} needs it", false);
            }
        }

        foreach (var tag in repository.Tags.Values)
        {
            if (tag.Current is null)
            {
                report("missing-revision", RegistryPaths.Tag(name, tag.Name), $"tag {name}:{tag.Name} has no current/link", true);
            }
            else if (tag.CurrentTarget is not { } target)
            {
                report("invalid-link", tag.Current.Path, $"tag {name}:{tag.Name}: current/link does not hold a digest", true);
            }
            else if (!revisions.Contains(target) || !blobs.ContainsKey(target))
            {
                report("missing-revision", tag.Current.Path, $"tag {name}:{tag.Name} points at {target}, {(revisions.Contains(target) ? "whose blob is missing" : $"which is not a manifest revision of {name}")}", true);
            }

            foreach (var entry in tag.Index.Where(e => !revisions.Contains(e.Digest)))
            {
                report("stale-tag-history", entry.Path, $"tag {name}:{tag.Name} once pointed at {entry.Digest}, no longer a revision (garbage collection removes it)", false);
            }
        }

        foreach (var referrer in repository.Referrers.Where(r => !revisions.Contains(r.Referrer.Digest)))
        {
            report("stale-referrer", referrer.Referrer.Path, $"referrer {referrer.Referrer.Digest} of {referrer.Subject} is not a revision of {name}", false);
        }

        return manifests;
    }
}
