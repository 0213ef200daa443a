using System.Globalization;

namespace Registry.Storage.Conformance;

/// <summary>What one benchmark measured.</summary>
/// <param name="Name">The benchmark (for example <c>Stream1MB</c>).</param>
/// <param name="Operations">How many timed operations ran.</param>
/// <param name="Elapsed">The timed part only (setup excluded).</param>
/// <param name="BytesPerOperation">Payload bytes one operation moves (0 for List, Delete, Walk).</param>
/// <param name="AllocatedBytes">Managed bytes allocated by the whole process during the timed part.</param>
/// <param name="PeakWorkingSetBytes">The highest working set sampled while the benchmark ran (setup included).</param>
public sealed record ConformanceBenchmarkResult(
    string Name,
    long Operations,
    TimeSpan Elapsed,
    long BytesPerOperation,
    long AllocatedBytes,
    long PeakWorkingSetBytes)
{
    /// <summary>Operations per second.</summary>
    public double OperationsPerSecond => Operations / Math.Max(Elapsed.TotalSeconds, 1e-9);

    /// <summary>Payload throughput in MiB/s (0 when the benchmark moves no payload).</summary>
    public double MebibytesPerSecond => BytesPerOperation * OperationsPerSecond / (1024 * 1024);

    /// <summary>Managed bytes allocated per operation.</summary>
    public long AllocatedBytesPerOperation => Operations == 0 ? 0 : AllocatedBytes / Operations;

    /// <summary>The header of <see cref="ToMarkdownRow"/>.</summary>
    public static string MarkdownHeader =>
        "| benchmark | ops | time (s) | ops/s | MiB/s | allocated/op | peak working set (MiB) |\n" +
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |";

    /// <summary>One row of a Markdown table.</summary>
    public string ToMarkdownRow() => string.Create(CultureInfo.InvariantCulture,
        $"| {Name} | {Operations} | {Elapsed.TotalSeconds:F2} | {OperationsPerSecond:F1} | {(BytesPerOperation == 0 ? "-" : MebibytesPerSecond.ToString("F1", CultureInfo.InvariantCulture))} | {FormatBytes(AllocatedBytesPerOperation)} | {PeakWorkingSetBytes / (1024.0 * 1024.0):F0} |");

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Name}: {Operations} ops in {Elapsed.TotalSeconds:F2} s, {OperationsPerSecond:F1} ops/s, {MebibytesPerSecond:F1} MiB/s, {FormatBytes(AllocatedBytesPerOperation)} allocated/op, peak working set {PeakWorkingSetBytes / (1024.0 * 1024.0):F0} MiB");

    private static string FormatBytes(long bytes) => bytes switch
    {
        >= 1L << 30 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 30):F2} GiB"),
        >= 1L << 20 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 20):F1} MiB"),
        >= 1L << 10 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:F1} KiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes} B"),
    };
}
