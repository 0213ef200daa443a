using System.Diagnostics;

namespace Registry.Storage.DriverBench;

/// <summary>
/// The workloads of issue 12, each timed with a <see cref="Stopwatch"/> around exactly the
/// driver calls being measured; set-up (populate) is its own workload so it is never timed
/// together with what it prepares.
/// </summary>
internal static class Workloads
{
    private const int StreamChunk = 1 << 20;

    /// <summary>Files per directory in the populated trees (a 10 000-file tree is 100 x 100).</summary>
    private const int FilesPerDirectory = 100;

    public static async Task<Dictionary<string, object>> RunAsync(IStorageDriver driver, BenchArguments o, CancellationToken ct) => o.Workload switch
    {
        "write" => await WriteAsync(driver, o.Path, o.Size, ct),
        "read" => await ReadAsync(driver, o.Path, ct),
        "move" => await TimeAsync(() => driver.MoveAsync(o.Path, o.Destination, ct)),
        "putget" => await PutGetAsync(driver, o.Path, o.Size, o.Count, ct),
        "populate" => await PopulateAsync(driver, o.Path, o.Count, o.Concurrency, flat: false, ct),
        "populate-flat" => await PopulateAsync(driver, o.Path, o.Count, o.Concurrency, flat: true, ct),
        "list" => await ListAsync(driver, o.Path, ct),
        "walk" => await WalkAsync(driver, o.Path, ct),
        "delete" => await TimeAsync(() => driver.DeleteAsync(o.Path, ct)),
        _ => throw new InvalidOperationException($"unknown workload '{o.Workload}'"),
    };

    private static async Task<Dictionary<string, object>> TimeAsync(Func<Task> action)
    {
        var watch = Stopwatch.StartNew();
        await action();
        return new() { ["seconds"] = watch.Elapsed.TotalSeconds };
    }

    // Writer + Commit from a repeated 1 MiB buffer: the process never holds the blob, so the
    // memory sampled during this workload alone (MemorySampler) measures the driver's own buffering.
    private static async Task<Dictionary<string, object>> WriteAsync(IStorageDriver driver, string path, long size, CancellationToken ct)
    {
        var chunk = new byte[StreamChunk];
        Random.Shared.NextBytes(chunk);
        TimeSpan elapsed;
        var memory = MemorySampler.Start();
        try
        {
            var watch = Stopwatch.StartNew();
            var writer = await driver.WriterAsync(path, append: false, ct);
            await using (writer)
            {
                for (long written = 0; written < size; written += chunk.Length)
                {
                    await writer.WriteAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, size - written)), ct);
                }

                await writer.CommitAsync(ct);
            }

            elapsed = watch.Elapsed;
        }
        finally
        {
            memory.Dispose();
        }

        return new()
        {
            ["seconds"] = elapsed.TotalSeconds,
            ["bytes"] = size,
            ["peak"] = memory.PeakResident,
            ["peak_private"] = memory.PeakPrivate,
            ["base"] = memory.BaselineResident,
            ["base_private"] = memory.BaselinePrivate,
            ["peak_managed"] = memory.PeakManaged,
            ["base_managed"] = memory.BaselineManaged,
            ["allocated"] = GC.GetTotalAllocatedBytes(precise: true) - memory.AllocatedBefore,
        };
    }

    private static async Task<Dictionary<string, object>> ReadAsync(IStorageDriver driver, string path, CancellationToken ct)
    {
        var buffer = new byte[StreamChunk];
        var watch = Stopwatch.StartNew();
        long total = 0;
        var reader = await driver.ReaderAsync(path, 0, ct);
        await using (reader)
        {
            int n;
            while ((n = await reader.ReadAsync(buffer, ct)) > 0)
            {
                total += n;
            }
        }

        return new() { ["seconds"] = watch.Elapsed.TotalSeconds, ["bytes"] = total };
    }

    // Sequential, one client: ops/s here is 1 / latency, which is what a Nagle/delayed-ACK stall would show.
    private static async Task<Dictionary<string, object>> PutGetAsync(IStorageDriver driver, string dir, long size, int count, CancellationToken ct)
    {
        var content = new byte[size];
        Random.Shared.NextBytes(content);
        var put = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            await driver.PutContentAsync($"{dir}/f{i:D5}", content, ct);
        }

        put.Stop();
        var get = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            var read = await driver.GetContentAsync($"{dir}/f{i:D5}", ct);
            if (read.Length != size)
            {
                throw new InvalidOperationException($"GetContent {dir}/f{i:D5} returned {read.Length} bytes, expected {size}");
            }
        }

        get.Stop();
        await driver.DeleteAsync(dir, ct);
        return new() { ["put_ops"] = count / put.Elapsed.TotalSeconds, ["get_ops"] = count / get.Elapsed.TotalSeconds, ["count"] = count };
    }

    // Set-up for list/walk/delete: `count` one-byte files, flat or 100 per sub-directory, written in parallel.
    private static async Task<Dictionary<string, object>> PopulateAsync(IStorageDriver driver, string dir, int count, int concurrency, bool flat, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        byte[] content = [42];
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = ct }, async (i, token) =>
        {
            var path = flat ? $"{dir}/f{i:D5}" : $"{dir}/d{i / FilesPerDirectory:D3}/f{i % FilesPerDirectory:D3}";
            await driver.PutContentAsync(path, content, token);
        });
        return new() { ["seconds"] = watch.Elapsed.TotalSeconds, ["count"] = count };
    }

    private static async Task<Dictionary<string, object>> ListAsync(IStorageDriver driver, string dir, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        var count = 0;
        await foreach (var _ in driver.ListAsync(dir, ct))
        {
            count++;
        }

        return new() { ["seconds"] = watch.Elapsed.TotalSeconds, ["count"] = count };
    }

    private static async Task<Dictionary<string, object>> WalkAsync(IStorageDriver driver, string dir, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        var files = 0;
        await driver.WalkAsync(dir, (entry, _) =>
        {
            if (!entry.IsDirectory)
            {
                files++;
            }

            return ValueTask.FromResult(WalkDecision.Continue);
        }, cancellationToken: ct);
        return new() { ["seconds"] = watch.Elapsed.TotalSeconds, ["count"] = files };
    }
}
