namespace Registry.Server.Maintenance;

/// <summary>How <see cref="GarbageCollector"/> runs.</summary>
public sealed record GarbageCollectionOptions
{
    /// <summary>The default <see cref="Grace"/>: one hour.</summary>
    public static readonly TimeSpan DefaultGrace = TimeSpan.FromHours(1);

    /// <summary>Only report what would be deleted (distribution's <c>--dry-run</c>).</summary>
    public bool DryRun { get; init; }

    /// <summary>Also delete manifests no tag points at (distribution's <c>--delete-untagged</c>), except those a kept index lists or whose subject is kept.</summary>
    public bool DeleteUntagged { get; init; }

    /// <summary>
    /// Blobs written, and manifest revisions and layer links created, less than this long before the
    /// mark started are never deleted: they may belong to a push in progress. Zero gives
    /// distribution's behaviour (only safe on a registry nobody writes to).
    /// </summary>
    public TimeSpan Grace { get; init; } = DefaultGrace;

    /// <summary>Storage requests in flight at once (manifest reads, deletes).</summary>
    public int Parallelism { get; init; } = 16;

    /// <summary>Receives a report at each phase and every few hundred items.</summary>
    public IProgress<MaintenanceProgress>? Progress { get; init; }
}

/// <summary>Where a maintenance run is: a phase name (<c>scan</c>, <c>mark</c>, <c>rescan</c>, <c>sweep</c>, <c>hash</c> …), items done, and the total when known.</summary>
public sealed record MaintenanceProgress(string Phase, long Done, long? Total);
