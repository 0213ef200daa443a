namespace Registry.Storage.Hosting.Migration;

/// <summary>What happened to one file.</summary>
public enum FileOutcome
{
    /// <summary>Copied and verified.</summary>
    Copied,

    /// <summary>Already equal at the destination.</summary>
    Skipped,

    /// <summary>Missing at the destination (check, or a dry run's "would copy").</summary>
    Missing,

    /// <summary>Present on both sides with different content; an error unless overwriting.</summary>
    Differing,

    /// <summary>Only at the destination (check).</summary>
    Extra,

    /// <summary>Failed in a way a re-run may fix (transient backend error, interruption, a source that changed under us).</summary>
    FailedRetryable,

    /// <summary>Failed in a way a re-run will not fix (a corrupt source blob, a permanent backend error).</summary>
    FailedFatal,
}

/// <summary>One file's result, reported as it happens.</summary>
/// <param name="Path">The storage path.</param>
/// <param name="Outcome">What happened.</param>
/// <param name="Size">The source size (destination size for extras).</param>
/// <param name="Detail">Why, for differences and failures.</param>
public sealed record FileResult(string Path, FileOutcome Outcome, long Size, string? Detail = null);

/// <summary>A snapshot of a run for progress display.</summary>
/// <param name="FilesFound">Source files found so far.</param>
/// <param name="BytesFound">Their bytes.</param>
/// <param name="WalkComplete">Whether the source walk has finished (the totals are final).</param>
/// <param name="FilesDone">Files decided (copied, skipped, differing, failed).</param>
/// <param name="BytesDone">Their bytes.</param>
/// <param name="BytesTransferred">Bytes actually streamed in this run.</param>
/// <param name="Elapsed">Time since the run started.</param>
public sealed record MigrationProgress(long FilesFound, long BytesFound, bool WalkComplete, long FilesDone, long BytesDone, long BytesTransferred, TimeSpan Elapsed)
{
    /// <summary>Streaming rate so far.</summary>
    public double BytesPerSecond => Elapsed.TotalSeconds > 0 ? BytesTransferred / Elapsed.TotalSeconds : 0;

    /// <summary>Time left at the current rate, once the totals are known.</summary>
    public TimeSpan? Eta => WalkComplete && BytesPerSecond > 0 ? TimeSpan.FromSeconds((BytesFound - BytesDone) / BytesPerSecond) : null;
}

/// <summary>The end of a run: counts per outcome and the files that need attention.</summary>
public sealed record MigrationSummary
{
    /// <summary>Files per outcome.</summary>
    public required IReadOnlyDictionary<FileOutcome, long> Files { get; init; }

    /// <summary>Bytes per outcome (source sizes).</summary>
    public required IReadOnlyDictionary<FileOutcome, long> Bytes { get; init; }

    /// <summary>Bytes streamed in this run.</summary>
    public long BytesTransferred { get; init; }

    /// <summary>How long the run took.</summary>
    public TimeSpan Elapsed { get; init; }

    /// <summary>Whether the run was interrupted before it finished.</summary>
    public bool Interrupted { get; init; }

    /// <summary>Differences and failures, in path order.</summary>
    public required IReadOnlyList<FileResult> Problems { get; init; }

    /// <summary>The count for <paramref name="outcome"/>.</summary>
    public long Count(FileOutcome outcome) => Files.GetValueOrDefault(outcome);
}
