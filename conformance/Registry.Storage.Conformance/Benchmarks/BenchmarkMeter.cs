using System.Diagnostics;

namespace Registry.Storage.Conformance;

/// <summary>
/// Times the measured part of one benchmark (setup excluded), counts operations and the
/// managed bytes allocated meanwhile, and samples the working set in the background.
/// </summary>
internal sealed class BenchmarkMeter : IAsyncDisposable
{
    private static readonly TimeSpan SampleInterval = TimeSpan.FromMilliseconds(20);
    private readonly Stopwatch _timed = new();
    private readonly Stopwatch _wall = Stopwatch.StartNew();
    private readonly CancellationTokenSource _stopSampling = new();
    private readonly Task _sampler;
    private long _peakWorkingSet;
    private long _allocated;

    public BenchmarkMeter()
    {
        // Start from a compacted heap, so the peak reflects this benchmark rather than the
        // garbage the previous one left.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        _peakWorkingSet = Environment.WorkingSet;
        _sampler = SampleAsync(_stopSampling.Token);
    }

    public long Operations { get; private set; }

    /// <summary>Times one operation.</summary>
    public async Task TimeAsync(Func<Task> operation)
    {
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: false);
        _timed.Start();
        try
        {
            await operation();
        }
        finally
        {
            _timed.Stop();
            _allocated += GC.GetTotalAllocatedBytes(precise: false) - allocatedBefore;
        }

        Operations++;
    }

    /// <summary>Whether another iteration should run: always the first, then until the minimum duration, the iteration cap or the wall-time cap.</summary>
    public bool ShouldContinue(ConformanceBenchmarkOptions options) =>
        Operations == 0
        || (_timed.Elapsed < options.MinDuration && Operations < options.MaxIterations && _wall.Elapsed < options.MaxWallTime);

    public async Task<ConformanceBenchmarkResult> FinishAsync(string name, long bytesPerOperation)
    {
        await StopSamplingAsync();
        return new ConformanceBenchmarkResult(name, Operations, _timed.Elapsed, bytesPerOperation, _allocated, Interlocked.Read(ref _peakWorkingSet));
    }

    public async ValueTask DisposeAsync()
    {
        await StopSamplingAsync();
        _stopSampling.Dispose();
    }

    private async Task StopSamplingAsync()
    {
        if (!_stopSampling.IsCancellationRequested)
        {
            await _stopSampling.CancelAsync();
        }

        await _sampler;
    }

    private async Task SampleAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(SampleInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                var current = Environment.WorkingSet;
                if (current > Interlocked.Read(ref _peakWorkingSet))
                {
                    Interlocked.Exchange(ref _peakWorkingSet, current);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // sampling ends with the benchmark
        }
    }
}
