namespace Registry.Server.Configuration;

/// <summary>distribution's <c>storage.maintenance.uploadpurging</c> (defaults are distribution's).</summary>
public sealed record UploadPurgingOptions
{
    /// <summary><c>enabled</c>.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary><c>age</c>: uploads started longer ago are removed.</summary>
    public TimeSpan Age { get; init; } = TimeSpan.FromHours(168);

    /// <summary><c>interval</c>: how often the purge runs.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromHours(24);

    /// <summary><c>dryrun</c>: only log what would be removed.</summary>
    public bool DryRun { get; init; }
}

/// <summary>
/// <c>storage.maintenance.gc</c> (this registry's, ignored by distribution): garbage collection on a
/// schedule, through the same <see cref="Maintenance.GarbageCollector"/> as <c>regstore gc</c>, safe
/// while pushes run thanks to the grace period. Off by default.
/// </summary>
public sealed record ScheduledGcOptions
{
    /// <summary><c>enabled</c>.</summary>
    public bool Enabled { get; init; }

    /// <summary><c>interval</c>: time between runs (the first runs one interval after start).</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromHours(24);

    /// <summary><c>grace</c>: content younger than this is never collected.</summary>
    public TimeSpan Grace { get; init; } = Maintenance.GarbageCollectionOptions.DefaultGrace;

    /// <summary><c>deleteuntagged</c>: also remove manifests no tag points at.</summary>
    public bool DeleteUntagged { get; init; }

    /// <summary><c>dryrun</c>: only log what would be removed.</summary>
    public bool DryRun { get; init; }
}
