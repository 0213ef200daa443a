using System.Collections.Concurrent;
using System.Diagnostics;

namespace Registry.Storage.Reliability.Tests.LongSoak;

/// <summary>What a soak counted, thread-safe: operations and bytes by kind, failures by operation and kind.</summary>
internal sealed class SoakFigures
{
    private readonly ConcurrentDictionary<string, long> _counts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _errors = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _firstErrors = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private (TimeSpan From, TimeSpan To)? _restart;
    private long _restartBeganTicks = long.MaxValue;

    /// <summary>Time since the soak started.</summary>
    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>Counted operations and bytes ("writes committed", "bytes read", ...).</summary>
    public IReadOnlyDictionary<string, long> Counts => new SortedDictionary<string, long>(_counts, StringComparer.Ordinal);

    /// <summary>Failures: "operation: exception type (during the restart|outside it)" → count.</summary>
    public IReadOnlyDictionary<string, long> Errors => new SortedDictionary<string, long>(_errors, StringComparer.Ordinal);

    /// <summary>The first messages of failures, one per kind, for the report.</summary>
    public IReadOnlyList<string> ErrorSamples => [.. _firstErrors];

    /// <summary>When the restart began and when the target served again.</summary>
    public (TimeSpan From, TimeSpan To)? Restart => _restart;

    /// <summary>Adds <paramref name="amount"/> to <paramref name="what"/>.</summary>
    public void Add(string what, long amount = 1) => _counts.AddOrUpdate(what, amount, (_, v) => v + amount);

    /// <summary>The count of <paramref name="what"/>.</summary>
    public long Get(string what) => _counts.GetValueOrDefault(what);

    /// <summary>Records the restart's window.</summary>
    public void RestartWindow(TimeSpan from, TimeSpan to) => _restart = (from, to);

    /// <summary>
    /// Counts a failure of <paramref name="operation"/> by exception type, split by whether it
    /// began within the restart (from its start until 30 s after the target served again, for
    /// operations still holding a connection made before).
    /// </summary>
    public void Failed(string operation, TimeSpan began, Exception exception)
    {
        var kind = exception is StorageDriverException { IsTransient: true } ? $"{exception.GetType().Name} (transient)" : exception.GetType().Name;
        var began0 = Volatile.Read(ref _restartBeganTicks);
        var during = began0 != long.MaxValue && began >= TimeSpan.FromTicks(began0) - TimeSpan.FromSeconds(1)
            && (_restart is not { } window || began <= window.To + TimeSpan.FromSeconds(30));
        var key = $"{operation}: {kind}, {(during ? "during the restart" : "outside the restart")}";
        if (_errors.AddOrUpdate(key, 1, (_, v) => v + 1) == 1)
        {
            _firstErrors.Enqueue($"{key}: {Flatten(exception.Message)}");
        }
    }

    /// <summary>Marks that a restart begins now (its end is not known yet).</summary>
    public void RestartBegins() => Volatile.Write(ref _restartBeganTicks, Elapsed.Ticks);

    private static string Flatten(string message)
    {
        var line = message.ReplaceLineEndings(" ");
        return line.Length > 300 ? line[..300] + "…" : line;
    }
}
