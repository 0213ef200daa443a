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
