namespace Registry.Storage;

/// <summary>What a <see cref="WalkVisitor"/> wants next.</summary>
public enum WalkDecision
{
    /// <summary>Go on; enter the entry if it is a directory.</summary>
    Continue,

    /// <summary>Do not enter this directory (distribution's <c>ErrSkipDir</c>); for a file, same as <see cref="Continue"/>.</summary>
    SkipDirectory,

    /// <summary>End the walk now without error (distribution's <c>ErrFilledBuffer</c>).</summary>
    Stop,
}

/// <summary>Called for every entry of a walk. An exception it throws ends the walk and propagates.</summary>
public delegate ValueTask<WalkDecision> WalkVisitor(StorageFileInfo entry, CancellationToken cancellationToken);

/// <summary>Options for <see cref="IStorageDriver.WalkAsync"/>.</summary>
public sealed record WalkOptions
{
    /// <summary>
    /// Report only entries whose walk key (<see cref="StoragePath.WalkKey"/>) sorts after this
    /// value (distribution's <c>StartAfterHint</c>), so an interrupted walk resumes where it
    /// stopped by passing the last path it saw. Directories holding the hint are entered but
    /// not reported again. A hint that sorts after everything below the start path yields nothing.
    /// </summary>
    public string? StartAfterHint { get; init; }
}
