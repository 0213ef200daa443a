using System.Globalization;

namespace Registry.Storage.Reliability.Tests.LongSoak;

/// <summary>
/// The long soak's settings, from the environment <c>./build.sh soak</c> sets:
/// REGSTORE_SOAK_DURATION (Go duration, default 30m), REGSTORE_SOAK_WORKERS (32),
/// REGSTORE_SOAK_MAX_SIZE (256MiB), REGSTORE_SOAK_RESTART_AT (fraction of the duration, 0.5),
/// REGSTORE_SOAK_REPORT (folder for the figures; default artifacts/soak).
/// </summary>
internal sealed record SoakOptions(TimeSpan Duration, int Workers, long MinSize, long MaxSize, double RestartAt, string ReportFolder)
{
    /// <summary>Objects each worker keeps before it verifies and deletes its oldest (bounds the disk a long run fills).</summary>
    public int WindowPerWorker { get; init; } = 3;

    /// <summary>How long one operation may take before it counts as hung (and failed).</summary>
    public TimeSpan OperationBound { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>Share of writes cancelled part-way with CancelAsync.</summary>
    public double CancelRate { get; init; } = 0.08;

    /// <summary>Share of writes abandoned part-way through their cancellation token.</summary>
    public double AbandonRate { get; init; } = 0.06;

    /// <summary>Share of reads whose connection the proxy resets mid-response (where the target can).</summary>
    public double DropRate { get; init; } = 0.25;

    /// <summary>Share of reads the reader gives up part-way (disposes early).</summary>
    public double GiveUpRate { get; init; } = 0.10;

    /// <summary>The settings from the environment.</summary>
    public static SoakOptions FromEnvironment(string repositoryRoot)
    {
        static string? Get(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } v ? v : null;
        var duration = Get("REGSTORE_SOAK_DURATION") is { } d
            ? GoDuration.TryParse(d, out var parsed) ? parsed : throw new ArgumentException($"REGSTORE_SOAK_DURATION: expected a duration such as 30m or 90s, got '{d}'")
            : TimeSpan.FromMinutes(30);
        var workers = Get("REGSTORE_SOAK_WORKERS") is { } w ? int.Parse(w, CultureInfo.InvariantCulture) : 32;
        var max = Get("REGSTORE_SOAK_MAX_SIZE") is { } m
            ? ByteSize.TryParse(m, out var bytes) ? bytes : throw new ArgumentException($"REGSTORE_SOAK_MAX_SIZE: expected a size such as 256MiB, got '{m}'")
            : 256L << 20;
        var restartAt = Get("REGSTORE_SOAK_RESTART_AT") is { } r ? double.Parse(r, CultureInfo.InvariantCulture) : 0.5;
        var report = Get("REGSTORE_SOAK_REPORT") ?? Path.Combine(repositoryRoot, "artifacts", "soak");
        return new SoakOptions(duration, workers, 1024, max, restartAt, report);
    }

    /// <summary>A size drawn log-uniformly between <see cref="MinSize"/> and <see cref="MaxSize"/>: as many 1–32 KiB objects as 8–256 MiB ones.</summary>
    public long DrawSize(Random random) =>
        (long)Math.Round(Math.Exp(Math.Log(MinSize) + (random.NextDouble() * (Math.Log(MaxSize) - Math.Log(MinSize)))));
}
