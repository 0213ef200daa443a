using System.Diagnostics;
using System.Globalization;
using Registry.Storage;
using Registry.Storage.Drivers.S3;

// Usage: dotnet run -c Release -- <write|read|small|walk> [options]; parameters from REGSTORE_TEST_S3_*.
// Each mode runs in its own process so VmHWM (peak RSS) belongs to that mode alone.
var mode = args.Length > 0 ? args[0] : "write";
var size = args.Length > 1 ? long.Parse(args[1], CultureInfo.InvariantCulture) : 1L << 30;
var quickAck = Environment.GetEnvironmentVariable("REGSTORE_BENCH_QUICKACK") != "false";
var root = Environment.GetEnvironmentVariable("REGSTORE_BENCH_ROOT") ?? "regstore-bench";
var values = Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
    .Where(e => ((string)e.Key).StartsWith("REGSTORE_TEST_S3_", StringComparison.Ordinal))
    .Select(e => new KeyValuePair<string, object?>(((string)e.Key)["REGSTORE_TEST_S3_".Length..].ToLowerInvariant(), e.Value))
    .Append(new("rootdirectory", "/" + root));
var extra = Environment.GetEnvironmentVariable("REGSTORE_BENCH_PARAMS") ?? "";
foreach (var pair in extra.Split(',', StringSplitOptions.RemoveEmptyEntries))
{
    var kv = pair.Split('=', 2);
    values = values.Append(new(kv[0], kv[1]));
}

var parameters = S3Parameters.Parse(new DriverParameters("s3", values)) with { TcpQuickAck = quickAck };
using var driver = new S3Driver(parameters);
var ct = CancellationToken.None;

switch (mode)
{
    case "write":
    {
        var buffer = new byte[1 << 20];
        Random.Shared.NextBytes(buffer);
        using var trace = MemoryTrace.StartIfRequested();
        var sw = Stopwatch.StartNew();
        await using (var writer = await driver.WriterAsync("/big", append: false, ct))
        {
            for (long written = 0; written < size; written += buffer.Length)
            {
                await writer.WriteAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, size - written)), ct);
            }

            await writer.CommitAsync(ct);
        }

        Report("write", size, sw.Elapsed);
        break;
    }

    case "read":
    {
        var buffer = new byte[1 << 20];
        var sw = Stopwatch.StartNew();
        long total = 0;
        await using (var reader = await driver.ReaderAsync("/big", 0, ct))
        {
            int n;
            while ((n = await reader.ReadAsync(buffer, ct)) > 0)
            {
                total += n;
            }
        }

        Report("read", total, sw.Elapsed);
        await driver.DeleteAsync("/big", ct);
        break;
    }

    case "small":
    {
        var count = (int)Math.Min(size, 100_000);
        var content = new byte[1024];
        // Warm-up: the SDK's first calls cost seconds (endpoint resolution, JIT), not the server.
        for (var i = 0; i < 20; i++)
        {
            await driver.PutContentAsync("/small/warmup", content, ct);
            await driver.GetContentAsync("/small/warmup", ct);
        }

        var sw = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            await driver.PutContentAsync($"/small/{i:D6}", content, ct);
        }

        var put = sw.Elapsed;
        sw.Restart();
        for (var i = 0; i < count; i++)
        {
            await driver.GetContentAsync($"/small/{i:D6}", ct);
        }

        var get = sw.Elapsed;
        Console.WriteLine($"small: {count} x 1 KiB sequential, quickack={quickAck}: PutContent {count / put.TotalSeconds:F0}/s ({put.TotalMilliseconds / count:F2} ms each), GetContent {count / get.TotalSeconds:F0}/s ({get.TotalMilliseconds / count:F2} ms each)");
        sw.Restart();
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, c) => await driver.GetContentAsync($"/small/{i:D6}", c));
        Console.WriteLine($"small: GetContent with 16 in parallel {count / sw.Elapsed.TotalSeconds:F0}/s");
        await driver.DeleteAsync("/small", ct);
        break;
    }

    case "walk":
    {
        var count = (int)Math.Min(size, 100_000);
        var sw = Stopwatch.StartNew();
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = 32 },
            async (i, c) => await driver.PutContentAsync($"/walk/d{i % 100:D3}/f{i:D6}", new byte[1], c));
        Console.WriteLine($"walk: created {count} objects with 32 in parallel in {sw.Elapsed.TotalSeconds:F1} s ({count / sw.Elapsed.TotalSeconds:F0}/s)");
        sw.Restart();
        var entries = await driver.WalkToListAsync("/walk", null, ct);
        Console.WriteLine($"walk: {entries.Count} entries ({entries.Count(e => !e.IsDirectory)} files) in {sw.Elapsed.TotalMilliseconds:F0} ms");
        if (Environment.GetEnvironmentVariable("REGSTORE_BENCH_KEEP") != "1")
        {
            sw.Restart();
            await driver.DeleteAsync("/walk", ct);
            Console.WriteLine($"walk: deleted {count} objects in {sw.Elapsed.TotalMilliseconds:F0} ms");
        }

        break;
    }

    default:
        Console.Error.WriteLine("modes: write SIZE | read | small COUNT | walk COUNT");
        return 2;
}

return 0;

static void Report(string what, long bytes, TimeSpan elapsed)
{
    var peak = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
    Console.WriteLine($"{what}: {bytes / (1024.0 * 1024):F0} MiB in {elapsed.TotalSeconds:F2} s = {bytes / (1024.0 * 1024) / elapsed.TotalSeconds:F1} MiB/s; peak RSS {peak["VmHWM:".Length..].Trim()}");
}

/// <summary>With REGSTORE_BENCH_MEMTRACE=1, samples RSS and the GC's view every 200 ms to stderr (where the peak goes).</summary>
internal sealed class MemoryTrace : IDisposable
{
    private readonly Timer _timer;

    private MemoryTrace() => _timer = new Timer(_ => Sample(), null, 0, 200);

    public static MemoryTrace? StartIfRequested() =>
        Environment.GetEnvironmentVariable("REGSTORE_BENCH_MEMTRACE") == "1" ? new MemoryTrace() : null;

    public void Dispose()
    {
        _timer.Dispose();
        Sample();
    }

    private static void Sample()
    {
        var rss = string.Join(", ", File.ReadLines("/proc/self/status").Where(l => l.StartsWith("Rss", StringComparison.Ordinal)).Select(l => l.Replace("\t", "", StringComparison.Ordinal).Replace("    ", "", StringComparison.Ordinal)));
        var info = GC.GetGCMemoryInfo();
        Console.Error.WriteLine(
            $"rss {rss}; gc heap {info.HeapSizeBytes >> 20} MiB, committed {info.TotalCommittedBytes >> 20} MiB, " +
            $"allocated total {GC.GetTotalAllocatedBytes() >> 20} MiB, gen0/1/2 {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)}");
    }
}
