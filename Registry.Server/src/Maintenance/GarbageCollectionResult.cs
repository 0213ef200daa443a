namespace Registry.Server.Maintenance;

/// <summary>A blob the collector deleted (or would delete in a dry run), named as distribution names it.</summary>
/// <param name="Digest"><c>sha256:…</c>.</param>
/// <param name="Size">Bytes of its <c>data</c> file.</param>
public sealed record CollectedBlob(string Digest, long Size);

/// <summary>An untagged manifest revision the collector deleted (or would delete).</summary>
/// <param name="Repository">The repository name.</param>
/// <param name="Digest"><c>sha256:…</c>.</param>
/// <param name="TagIndexEntries">The tags whose history (<c>index</c>) listed it; those entries go with it.</param>
public sealed record CollectedManifest(string Repository, string Digest, IReadOnlyList<string> TagIndexEntries);

/// <summary>Wall time of one phase of a collection (<c>scan repositories</c>, <c>scan blobs</c>, <c>read manifests</c>, <c>mark</c>, <c>rescan</c>, <c>delete blobs</c> …).</summary>
public sealed record PhaseTime(string Phase, TimeSpan Time);

/// <summary>What a garbage collection found and did.</summary>
public sealed record GarbageCollectionResult
{
    /// <summary>When the mark began; the grace period counts back from here.</summary>
    public required DateTimeOffset MarkStartedAt { get; init; }

    /// <summary>Whether anything was deleted.</summary>
    public required bool DryRun { get; init; }

    /// <summary>Repositories scanned.</summary>
    public required int Repositories { get; init; }

    /// <summary>Distinct digests marked (manifests and the blobs they reference), as distribution's "N blobs marked".</summary>
    public required int Marked { get; init; }

    /// <summary>Blobs found in the blob store.</summary>
    public required int BlobsScanned { get; init; }

    /// <summary>Untagged manifests deleted (or to delete), by repository and digest.</summary>
    public required IReadOnlyList<CollectedManifest> Manifests { get; init; }

    /// <summary>Blobs deleted (or to delete), sorted by digest.</summary>
    public required IReadOnlyList<CollectedBlob> Blobs { get; init; }

    /// <summary>Unreferenced blobs kept because they are newer than the grace period allows.</summary>
    public required IReadOnlyList<CollectedBlob> KeptAsRecent { get; init; }

    /// <summary>Blobs that were unreferenced at the mark but referenced or linked anew by the time of the re-scan, and so kept.</summary>
    public required int Rescued { get; init; }

    /// <summary>Stale <c>_layers</c> links removed with their blobs.</summary>
    public required int LayerLinksRemoved { get; init; }

    /// <summary>The bytes of <see cref="Blobs"/>.</summary>
    public long BytesReclaimed => Blobs.Sum(b => b.Size);

    /// <summary>Time spent scanning and marking.</summary>
    public required TimeSpan MarkTime { get; init; }

    /// <summary>Time spent re-scanning and deleting.</summary>
    public required TimeSpan SweepTime { get; init; }

    /// <summary>Where <see cref="MarkTime"/> and <see cref="SweepTime"/> went, phase by phase, in order.</summary>
    public required IReadOnlyList<PhaseTime> Phases { get; init; }
}
