using Registry.Server.Layout;

namespace Registry.Server.Maintenance;

/// <summary>Which of a repository's manifest revisions a collection keeps and which it deletes.</summary>
internal static class RevisionPlanner
{
    /// <summary>
    /// Revisions whose blob is gone are neither kept nor deleted (distribution's manifest
    /// enumeration skips them; verify reports them). Without <paramref name="deleteUntagged"/>
    /// every other revision is kept. With it, a revision is kept when a tag's <c>current</c> link
    /// names it, when it was written after <paramref name="cutoff"/> (its tag may be on its way),
    /// when a kept index lists it, or when its <c>subject</c> is kept (a signature or SBOM lives as
    /// long as its image); the rest are deleted.
    /// </summary>
    public static async Task<(List<Digest> Kept, List<LinkEntry> Deleted)> PlanAsync(
        RepositoryContents repository, Func<Digest, bool> blobExists, ManifestCache cache, bool deleteUntagged, DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        var revisions = new Dictionary<Digest, LinkEntry>();
        foreach (var revision in repository.Revisions.Where(r => blobExists(r.Digest)))
        {
            revisions.TryAdd(revision.Digest, revision);
        }

        if (!deleteUntagged)
        {
            return ([.. revisions.Keys], []);
        }

        var tagged = repository.Tags.Values.Select(t => t.CurrentTarget).OfType<Digest>().ToHashSet();
        var kept = revisions.Values.Where(r => tagged.Contains(r.Digest) || r.ModTime >= cutoff).Select(r => r.Digest).ToHashSet();

        var referrers = new Dictionary<Digest, List<Digest>>();
        void AddReferrer(Digest subject, Digest referrer)
        {
            if (!referrers.TryGetValue(subject, out var list))
            {
                referrers[subject] = list = [];
            }

            list.Add(referrer);
        }

        foreach (var entry in repository.Referrers)
        {
            AddReferrer(entry.Subject, entry.Referrer.Digest);
        }

        foreach (var digest in revisions.Keys)
        {
            if (await TryReferencesAsync(cache, digest, cancellationToken) is { Subject: { } subject })
            {
                AddReferrer(subject, digest);
            }
        }

        var pending = new Queue<Digest>(kept);
        while (pending.TryDequeue(out var digest))
        {
            var children = (await TryReferencesAsync(cache, digest, cancellationToken))?.Manifests ?? [];
            foreach (var next in children.Concat(referrers.GetValueOrDefault(digest) ?? []))
            {
                if (revisions.ContainsKey(next) && kept.Add(next))
                {
                    pending.Enqueue(next);
                }
            }
        }

        return ([.. kept], [.. revisions.Values.Where(r => !kept.Contains(r.Digest)).OrderBy(r => r.Digest.ToString(), StringComparer.Ordinal)]);
    }

    private static async Task<ManifestReferences?> TryReferencesAsync(ManifestCache cache, Digest digest, CancellationToken cancellationToken)
    {
        try
        {
            return await cache.GetAsync(digest, cancellationToken);
        }
        catch (InvalidDataException)
        {
            return null; // reported when it is marked
        }
    }
}
