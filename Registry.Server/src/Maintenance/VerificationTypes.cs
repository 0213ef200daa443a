namespace Registry.Server.Maintenance;

/// <summary>Something <see cref="RegistryVerifier"/> found.</summary>
/// <param name="Kind">
/// Errors: <c>digest-mismatch</c> (content does not hash to its digest), <c>size-mismatch</c>,
/// <c>unreadable</c>, <c>dangling-link</c> (a revision link, or a layer link a manifest needs, whose
/// blob is gone), <c>missing-revision</c> (a tag names a manifest the repository does not hold),
/// <c>invalid-link</c> (not a digest, or not the digest its path names), <c>missing-reference</c>
/// (a manifest names a blob or manifest its repository does not hold), <c>invalid-manifest</c>.
/// Notices: <c>orphaned-blob</c> (no repository links it: garbage collection reclaims it),
/// <c>stale-layer-link</c> (a layer link to a missing blob that no manifest needs: what
/// distribution's garbage collector leaves), <c>stale-tag-history</c>, <c>stale-referrer</c>, <c>unrecognised</c>.
/// </param>
/// <param name="Path">The storage path it concerns.</param>
/// <param name="Detail">What is wrong, with digests.</param>
/// <param name="IsError">Whether it makes the registry serve wrong or missing content.</param>
public sealed record VerificationProblem(string Kind, string Path, string Detail, bool IsError);

/// <summary>How <see cref="RegistryVerifier"/> runs.</summary>
public sealed record VerificationOptions
{
    /// <summary>Only these repositories (and the blobs they link); empty: the whole registry, with orphaned blobs.</summary>
    public IReadOnlyList<string> Repositories { get; init; } = [];

    /// <summary>Blobs hashed (and links read) at once; memory is this many 256 KiB buffers.</summary>
    public int Parallelism { get; init; } = Math.Max(4, Environment.ProcessorCount * 2);

    /// <summary>Called for each finding as it is found (from several threads, one at a time).</summary>
    public Action<VerificationProblem>? OnProblem { get; init; }

    /// <summary>Receives a report at each phase and every few hundred items.</summary>
    public IProgress<MaintenanceProgress>? Progress { get; init; }
}

/// <summary>What a verification checked and found.</summary>
public sealed record VerificationResult
{
    /// <summary>Repositories checked.</summary>
    public required int Repositories { get; init; }

    /// <summary>Link files read and resolved.</summary>
    public required int LinksChecked { get; init; }

    /// <summary>Manifests parsed and their references resolved.</summary>
    public required int ManifestsChecked { get; init; }

    /// <summary>Blobs re-hashed.</summary>
    public required int BlobsHashed { get; init; }

    /// <summary>Bytes re-hashed.</summary>
    public required long BytesHashed { get; init; }

    /// <summary>Everything found, errors and notices, sorted by path.</summary>
    public required IReadOnlyList<VerificationProblem> Problems { get; init; }

    /// <summary>Whether any finding is an error.</summary>
    public bool HasErrors => Problems.Any(p => p.IsError);

    /// <summary>Wall-clock time.</summary>
    public required TimeSpan Elapsed { get; init; }
}
