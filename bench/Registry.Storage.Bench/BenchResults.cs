using System.Text.Json;
using System.Text.Json.Serialization;

namespace Registry.Storage.Bench;

/// <summary>One figure of one workload: every repetition's value for us and for the peer.</summary>
internal sealed class BenchRow
{
    public required string Workload { get; init; }

    public required string Unit { get; init; }

    public bool HigherIsBetter { get; init; }

    public string PeerName { get; set; } = "—";

    public string Note { get; set; } = "";

    /// <summary>Repetitions that must produce a figure for the run to count as complete.</summary>
    public int ExpectedOurs { get; set; }

    public int ExpectedPeer { get; set; }

    /// <summary>Repetitions the Go peer (distribution 2.8.2's driver, bench/go-peer) must produce; 0 where it has none (old result files).</summary>
    public int ExpectedGo { get; set; }

    public List<double> Ours { get; init; } = [];

    public List<double> Peer { get; init; } = [];

    /// <summary>Go distribution 2.8.2's figures of the same workload (empty in result files from before the Go peer).</summary>
    public List<double> Go { get; init; } = [];

    [JsonIgnore]
    public bool Complete => Ours.Count >= ExpectedOurs && Peer.Count >= ExpectedPeer && Go.Count >= ExpectedGo;

    /// <summary>&gt; 1 means ours is better, whatever the unit (<see cref="Statistics.Ratio"/>).</summary>
    [JsonIgnore]
    public double Ratio => Statistics.Ratio(Ours, Peer, HigherIsBetter);

    /// <summary>Ours against Go distribution 2.8.2, the same way round as <see cref="Ratio"/>.</summary>
    [JsonIgnore]
    public double GoRatio => Statistics.Ratio(Ours, Go, HigherIsBetter);

    /// <summary>Whether the table shows a Go column for this row's driver: it has Go figures or expected some.</summary>
    [JsonIgnore]
    public bool HasGo => Go.Count > 0 || ExpectedGo > 0;
}

/// <summary>One driver's outcome: its rows, how long it took, and what went wrong (null: complete).</summary>
internal sealed class DriverResult
{
    public required string Driver { get; init; }

    public List<BenchRow> Rows { get; init; } = [];

    public TimeSpan Elapsed { get; init; }

    public string? Problem { get; init; }

    /// <summary>When the plugin's driver assembly was built (UTC, HH:mm), so a report says which code it measured.</summary>
    public string? Built { get; init; }

    /// <summary>The memory target the report judges the big write against.</summary>
    public MemoryBound? Bound { get; init; }

    [JsonIgnore]
    public MemoryBound Target => Bound ?? MemoryBound.DefaultFor(Driver);
}

/// <summary>
/// Everything a report is rendered from, saved beside it as <c>benchmarks/results.json</c>, so
/// <c>render</c> writes the same report and charts again without running anything.
/// </summary>
internal sealed class BenchResultSet
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public required BenchOptions Options { get; init; }

    /// <summary>The machine section (date, CPU, memory, disk, versions, load at the start).</summary>
    public required string Machine { get; init; }

    /// <summary>/proc/loadavg's three figures at the start of the run and when the report was written.</summary>
    public required string LoadBefore { get; init; }

    public required string LoadNow { get; init; }

    public TimeSpan Elapsed { get; init; }

    public List<DriverResult> Drivers { get; init; } = [];

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static BenchResultSet FromJson(string json) =>
        JsonSerializer.Deserialize<BenchResultSet>(json, Json) ?? throw new InvalidDataException("the results file holds no result set");
}
