using System.Diagnostics;

namespace Registry.Storage.Drivers.Azure.Bench;

/// <summary>One timed phase: throughput, the process's peak working set during it, and that peak over the phase's start.</summary>
internal sealed record Measurement(string Phase, double MiBps, long PeakBytes, long PeakOverStart);

/// <summary>Times one phase and samples the process's working set while it runs.</summary>
internal static class Measure
{
    public static async Task<Measurement> RunAsync(string phase, long size, Func<Task> body)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        var start = process.WorkingSet64;
        var peak = start;
        using var stop = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
            while (await timer.WaitForNextTickAsync(stop.Token).ConfigureAwait(false))
            {
                process.Refresh();
                peak = Math.Max(peak, process.WorkingSet64);
            }
        });

        var watch = Stopwatch.StartNew();
        await body();
        watch.Stop();
        await stop.CancelAsync();
        try
        {
            await sampler;
        }
        catch (OperationCanceledException)
        {
            // the sampler ends by cancellation
        }

        var mibps = size / (double)(1 << 20) / watch.Elapsed.TotalSeconds;
        Console.WriteLine($"{phase,-40} {watch.Elapsed.TotalSeconds,7:F2} s {mibps,8:F1} MiB/s  peak {peak >> 20} MiB (+{(peak - start) >> 20} MiB)");
        return new Measurement(phase, mibps, peak, peak - start);
    }
}

/// <summary>A non-seekable stream of <c>length</c> pseudo-random bytes, generated as read (no blob in memory).</summary>
internal sealed class SeededStream(long length, int seed) : Stream
{
    private readonly Random _random = new(seed);
    private long _position;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => length;
    public override long Position { get => _position; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var n = (int)Math.Min(buffer.Length, length - _position);
        _random.NextBytes(buffer[..n]);
        _position += n;
        return n;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.FromResult(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => Task.FromResult(Read(buffer, offset, count));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

/// <summary>A sink that only counts (downloads go nowhere, so only the transfer is measured).</summary>
internal sealed class CountingStream : Stream
{
    private long _length;

    public override bool CanRead => false;
    public override bool CanSeek => true;
    public override bool CanWrite => true;
    public override long Length => _length;
    public override long Position { get => _length; set => _length = Math.Max(_length, value); }

    public override void Write(byte[] buffer, int offset, int count) => _length += count;
    public override void Write(ReadOnlySpan<byte> buffer) => _length += buffer.Length;
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        _length += buffer.Length;
        return ValueTask.CompletedTask;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        _length += count;
        return Task.CompletedTask;
    }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => offset;
    public override void SetLength(long value) => _length = value;
}
