namespace Registry.Storage.Hosting.Migration;

/// <summary>How <see cref="TreeMigrator"/> copies or compares a tree.</summary>
public sealed record MigrationOptions
{
    /// <summary>The tree to copy, the same path on both sides (distribution keeps everything under <c>/docker/registry/v2</c>).</summary>
    public string Prefix { get; init; } = "/docker/registry/v2";

    /// <summary>Files streamed at once.</summary>
    public int Transfers { get; init; } = 4;

    /// <summary>Destination lookups (Stat, digests of small files) at once.</summary>
    public int Checkers { get; init; } = 8;

    /// <summary>Replace destination files whose content differs; without it a difference is an error (registry content is immutable).</summary>
    public bool Overwrite { get; init; }

    /// <summary>Decide and report, but write nothing.</summary>
    public bool DryRun { get; init; }

    /// <summary>Read every copied file back from the destination and compare its SHA-256 (default on).</summary>
    public bool VerifyAfterCopy { get; init; } = true;

    /// <summary>Only paths matching one of these globs (<c>*</c> within a segment, <c>**</c> across, <c>?</c> one character); all when empty.</summary>
    public IReadOnlyList<string> Include { get; init; } = [];

    /// <summary>Paths matching any of these globs are left out.</summary>
    public IReadOnlyList<string> Exclude { get; init; } = [];

    /// <summary>The most bytes per second read from the source, across all transfers; 0 for no limit.</summary>
    public long BandwidthLimit { get; init; }

    /// <summary>The copy buffer per transfer; memory in use is about <c>Transfers × BufferSize</c> plus the drivers' own chunks.</summary>
    public int BufferSize { get; init; } = 1 << 20;
}
