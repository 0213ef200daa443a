namespace Registry.Storage.Conformance;

/// <summary>Which benchmarks <see cref="ConformanceBenchmarks.RunAsync"/> runs, and how big and how long.</summary>
public sealed record ConformanceBenchmarkOptions
{
    /// <summary>
    /// The benchmarks to run by name (<see cref="ConformanceBenchmarks.Names"/>, case-insensitive);
    /// <see langword="null"/> or empty runs them all.
    /// </summary>
    public IReadOnlyCollection<string>? Only { get; init; }

    /// <summary>The size of PutGet1GB and Stream1GB: 1 GiB as in distribution; lower it for a slow backend.</summary>
    public long BigSize { get; init; } = 1L << 30;

    /// <summary>How many files the Walk benchmark walks: 10 000.</summary>
    public int WalkFileCount { get; init; } = 10_000;

    /// <summary>
    /// How long each benchmark repeats its operation (at least once), like Go's <c>b.Loop</c>
    /// which targets one second.
    /// </summary>
    public TimeSpan MinDuration { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>An upper bound on iterations, so a very fast driver does not loop for long on tiny operations.</summary>
    public int MaxIterations { get; init; } = 100_000;

    /// <summary>
    /// A bound on one benchmark's wall-clock time including its untimed setup (Delete sets up
    /// files before every timed delete); the loop stops once it is reached, after at least one operation.
    /// </summary>
    public TimeSpan MaxWallTime { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>How many files the setup of List, Delete and Walk writes at once.</summary>
    public int SetupConcurrency { get; init; } = 8;

    /// <summary>Whether <paramref name="name"/> is selected.</summary>
    public bool Includes(string name) =>
        Only is not { Count: > 0 } || Only.Contains(name, StringComparer.OrdinalIgnoreCase);
}
