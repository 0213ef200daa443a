using System.Text.Json.Serialization;

namespace Registry.Storage.Bench;

/// <summary>
/// The memory target of issue 12 for a stream write: chunk × (concurrency + 1) + 64 MiB — the
/// writer's chunk buffers in flight plus the one being filled, and 64 MiB for the runtime.
/// </summary>
/// <param name="Chunk">The writer's chunk size in bytes (0: the driver buffers no chunks).</param>
/// <param name="Concurrency">How many chunks the writer uploads at once.</param>
internal sealed record MemoryBound(long Chunk, int Concurrency)
{
    private const double RuntimeMiB = 64;

    /// <summary>The drivers' defaults; each run replaces them with what DriverBench reports the driver was configured with.</summary>
    private static readonly Dictionary<string, MemoryBound> Defaults = new(StringComparer.Ordinal)
    {
        ["filesystem"] = new(0, 0),
        ["s3"] = new(10L << 20, 4),
        ["rados"] = new(4L << 20, 4),
        ["swift"] = new(20L << 20, 4),
        ["azure"] = new(4L << 20, 8),
    };

    /// <summary>The target in MiB.</summary>
    [JsonIgnore]
    public double TargetMiB => (Chunk * (Concurrency + 1) >> 20) + RuntimeMiB;

    /// <summary>The target as the report's notes state it.</summary>
    [JsonIgnore]
    public string Note => Chunk == 0
        ? "target ≤ 64 MiB (no chunk buffers + 64 MiB)"
        : $"target ≤ {TargetMiB:F0} MiB (chunk {Chunk >> 20} MiB × ({Concurrency}+1) + 64 MiB)";

    /// <summary>The default bound of <paramref name="driver"/>; no buffers for a driver without one.</summary>
    public static MemoryBound DefaultFor(string driver) => Defaults.GetValueOrDefault(driver) ?? new(0, 0);
}
