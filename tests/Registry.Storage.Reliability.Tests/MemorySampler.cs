using System.Diagnostics;

namespace Registry.Storage.Reliability.Tests;

/// <summary>
/// Samples the test process's memory every <see cref="Interval"/> while a soak runs: the managed
/// heap as of the last GC (<see cref="GCMemoryInfo.HeapSizeBytes"/>, steadier than the
/// allocation-driven live total) and the working set. <see cref="Verdict"/> judges "flat".
/// </summary>
internal sealed class MemorySampler : IAsyncDisposable
{
    /// <summary>Time between samples.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    /// <summary>Growth allowed on top of the ratio for the managed heap: pools and caches filling up are not leaks.</summary>
    public const long HeapSlack = 64L << 20;

    /// <summary>Growth allowed on top of the ratio for the working set (native buffers, sockets, JIT).</summary>
    public const long WorkingSetSlack = 96L << 20;

    /// <summary>The ratio of the last quarter's median to the first quarter's median allowed before the slack.</summary>
    public const double Ratio = 1.5;

    private readonly List<Sample> _samples = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private bool _stopped;

    private readonly Func<long>? _other;

    private MemorySampler(Func<long>? other)
    {
        _other = other;
        // A thread of its own: 32 busy workers would delay a thread-pool timer by seconds.
        _thread = new Thread(Loop) { IsBackground = true, Name = "memory sampler" };
        _thread.Start();
    }

    /// <summary>One reading.</summary>
    public readonly record struct Sample(TimeSpan At, long HeapBytes, long WorkingSetBytes, long OtherBytes = 0);

    /// <summary>The readings so far.</summary>
    public IReadOnlyList<Sample> Samples
    {
        get
        {
            lock (_samples)
            {
                return [.. _samples];
            }
        }
    }

    /// <summary>Starts sampling; <paramref name="other"/>, when given, is read beside (e.g. a server process's resident set).</summary>
    public static MemorySampler Start(Func<long>? other = null) => new(other);

    /// <summary>Stops sampling.</summary>
    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    /// <summary>Stops sampling (again: nothing).</summary>
    public async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        await _stop.CancelAsync().ConfigureAwait(false);
        await Task.Run(_thread.Join).ConfigureAwait(false);
        _stop.Dispose();
    }

    /// <summary>
    /// The criterion: drop the first fifth of the samples as warm-up (JIT, connection pools,
    /// ArrayPool buckets filling), then compare the median of the last quarter of the rest with
    /// the median of its first quarter. Flat means last ≤ first × <see cref="Ratio"/> + slack,
    /// for the heap and for the working set. Medians ignore single GC peaks; the slack keeps
    /// small baselines from failing on noise. A leak of a buffer per write (hundreds of MiB over
    /// a run) fails it; slower leaks need the long form (REGSTORE_SOAK_SECONDS).
    /// </summary>
    public (bool Flat, string Text) Verdict()
    {
        var samples = Samples;
        var steady = samples.Skip(samples.Count / 5).ToList();
        if (steady.Count < 8)
        {
            return (false, $"only {samples.Count} samples: the run was too short to judge memory");
        }

        var quarter = steady.Count / 4;
        var (heapFirst, heapLast) = (Median(steady.Take(quarter), s => s.HeapBytes), Median(steady.TakeLast(quarter), s => s.HeapBytes));
        var (wsFirst, wsLast) = (Median(steady.Take(quarter), s => s.WorkingSetBytes), Median(steady.TakeLast(quarter), s => s.WorkingSetBytes));
        var flat = heapLast <= heapFirst * Ratio + HeapSlack && wsLast <= wsFirst * Ratio + WorkingSetSlack;
        var text = $"{samples.Count} samples every {Interval.TotalMilliseconds} ms; after warm-up, GC heap median {Mib(heapFirst)} → {Mib(heapLast)} MiB " +
                   $"(peak {Mib(samples.Max(s => s.HeapBytes))}), working set median {Mib(wsFirst)} → {Mib(wsLast)} MiB (peak {Mib(samples.Max(s => s.WorkingSetBytes))})";
        return (flat, text);
    }

    private void Loop()
    {
        do
        {
            var sample = new Sample(_clock.Elapsed, GC.GetGCMemoryInfo().HeapSizeBytes, Environment.WorkingSet, _other?.Invoke() ?? 0);
            lock (_samples)
            {
                _samples.Add(sample);
            }
        }
        while (!_stop.Token.WaitHandle.WaitOne(Interval)); // the sampling period, ended early by StopAsync
    }

    private static double Median(IEnumerable<Sample> samples, Func<Sample, long> value)
    {
        var sorted = samples.Select(value).Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2.0;
    }

    private static string Mib(double bytes) => (bytes / (1 << 20)).ToString("F0", System.Globalization.CultureInfo.InvariantCulture);
}
