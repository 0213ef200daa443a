using System.Globalization;

namespace Registry.Storage.DriverBench;

/// <summary>
/// The process's memory while one workload runs. The kernel's high-water mark (VmHWM,
/// Process.PeakWorkingSet64) cannot be reset, so in a process that runs many workloads it would
/// report the worst of all of them; instead a dedicated thread reads /proc/self/status every
/// <see cref="Interval"/> and keeps the maxima of VmRSS (everything resident) and of
/// RssAnon + RssShmem (private memory: heap, buffers, native allocations; without the mapped
/// runtime and assembly files), and of the managed heap's size (GC.GetTotalMemory), so private
/// memory splits into managed and native (an SDK's or a native library's own allocations). A thread of its own, not a timer: a busy thread pool would skip
/// timer ticks exactly when the workload is busiest.
/// </summary>
internal sealed class MemorySampler : IDisposable
{
    /// <summary>Between samples; part buffers live for hundreds of milliseconds, so none is missed.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(5);

    private readonly Thread _thread;
    private readonly ManualResetEventSlim _stop = new();
    private long _peakResident;
    private long _peakPrivate;
    private long _peakManaged;

    private MemorySampler()
    {
        (BaselineResident, BaselinePrivate) = Read();
        (_peakResident, _peakPrivate) = (BaselineResident, BaselinePrivate);
        BaselineManaged = _peakManaged = GC.GetTotalMemory(forceFullCollection: false);
        AllocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        _thread = new Thread(Run) { IsBackground = true, Name = "memory sampler" };
        _thread.Start();
    }

    /// <summary>VmRSS when sampling started (after <see cref="Start"/>'s full collection).</summary>
    public long BaselineResident { get; }

    /// <summary>RssAnon + RssShmem when sampling started.</summary>
    public long BaselinePrivate { get; }

    /// <summary>Managed heap in use when sampling started (what survived the full collection).</summary>
    public long BaselineManaged { get; }

    /// <summary>Highest managed heap size seen (live objects and garbage not yet collected).</summary>
    public long PeakManaged => Interlocked.Read(ref _peakManaged);

    /// <summary>Bytes the managed heap had handed out before the workload.</summary>
    public long AllocatedBefore { get; }

    /// <summary>Highest VmRSS seen (valid after <see cref="Dispose"/>).</summary>
    public long PeakResident => Interlocked.Read(ref _peakResident);

    /// <summary>Highest RssAnon + RssShmem seen.</summary>
    public long PeakPrivate => Interlocked.Read(ref _peakPrivate);

    /// <summary>
    /// Compacts the managed heap and returns its free memory to the OS first (an aggressive
    /// collection decommits), so what earlier workloads in this process left behind counts as
    /// little as the runtime allows; then starts sampling.
    /// </summary>
    public static MemorySampler Start()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        return new MemorySampler();
    }

    /// <summary>Stops sampling after one last sample.</summary>
    public void Dispose()
    {
        _stop.Set();
        _thread.Join();
        Sample();
        _stop.Dispose();
    }

    private void Run()
    {
        while (!_stop.Wait(Interval))
        {
            Sample();
        }
    }

    private void Sample()
    {
        var (resident, privateBytes) = Read();
        if (resident > _peakResident)
        {
            Interlocked.Exchange(ref _peakResident, resident);
        }

        if (privateBytes > _peakPrivate)
        {
            Interlocked.Exchange(ref _peakPrivate, privateBytes);
        }

        var managed = GC.GetTotalMemory(forceFullCollection: false);
        if (managed > _peakManaged)
        {
            Interlocked.Exchange(ref _peakManaged, managed);
        }
    }

    private static (long Resident, long Private) Read()
    {
        long resident = 0, anon = 0, shmem = 0;
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                resident = Kilobytes(line);
            }
            else if (line.StartsWith("RssAnon:", StringComparison.Ordinal))
            {
                anon = Kilobytes(line);
            }
            else if (line.StartsWith("RssShmem:", StringComparison.Ordinal))
            {
                shmem = Kilobytes(line);
            }
        }

        return (resident, anon + shmem);
    }

    // "VmRSS:\t  123456 kB" -> bytes.
    private static long Kilobytes(string line)
    {
        var value = line.AsSpan(line.IndexOf(':', StringComparison.Ordinal) + 1).Trim();
        return long.Parse(value[..value.IndexOf(' ')], CultureInfo.InvariantCulture) * 1024;
    }
}
