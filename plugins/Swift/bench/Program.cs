using System.Collections;
using System.Diagnostics;
using Registry.Storage;
using Registry.Storage.Drivers.Swift;

// The swift driver's side of docs/benchmarks/swift.md, one phase per process so /usr/bin/time
// reports each phase's peak memory (services/swift/bench.sh runs it beside rclone):
//   write FILE   stream FILE into /bench/large through a writer, commit
//   read         stream /bench/large back, discarding it
//   small N P    N × 1 KiB PutContent, GetContent, Stat with P at a time
//   populate N   N small files below /walk (setup for walk)
//   walk         Walk /walk, counting entries
//   clean        Delete /bench and /walk
// Parameters come from REGSTORE_TEST_SWIFT_* as for the tests; rootdirectory regstore-bench.
var parameters = new DriverParameters("swift", Environment.GetEnvironmentVariables().Cast<DictionaryEntry>()
    .Where(e => ((string)e.Key).StartsWith("REGSTORE_TEST_SWIFT_", StringComparison.Ordinal))
    .Select(e => new KeyValuePair<string, object?>(((string)e.Key)["REGSTORE_TEST_SWIFT_".Length..].ToLowerInvariant(), e.Value)))
    .With("rootdirectory", "regstore-bench");
var driver = await new SwiftDriverFactory().CreateAsync(parameters);
var watch = Stopwatch.StartNew();
switch (args[0])
{
    case "write":
    {
        await using var source = File.OpenRead(args[1]);
        var size = await driver.WriteStreamAsync("/bench/large", source);
        Report("write", size, watch.Elapsed);
        break;
    }

    case "read":
    {
        await using var reader = await driver.ReaderAsync("/bench/large", 0);
        var buffer = new byte[1 << 20];
        long size = 0;
        int read;
        while ((read = await reader.ReadAsync(buffer)) > 0)
        {
            size += read;
        }

        Report("read", size, watch.Elapsed);
        break;
    }

    case "small":
    {
        var count = int.Parse(args[1]);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = int.Parse(args[2]) };
        var content = new byte[1024];
        Random.Shared.NextBytes(content);
        await Timed("put", count, () => Parallel.ForEachAsync(Enumerable.Range(0, count), parallel, async (i, ct) => await driver.PutContentAsync($"/bench/small/{i}", content, ct)));
        await Timed("get", count, () => Parallel.ForEachAsync(Enumerable.Range(0, count), parallel, async (i, ct) => await driver.GetContentAsync($"/bench/small/{i}", ct)));
        await Timed("stat", count, () => Parallel.ForEachAsync(Enumerable.Range(0, count), parallel, async (i, ct) => await driver.StatAsync($"/bench/small/{i}", ct)));
        break;
    }

    case "populate":
    {
        var count = int.Parse(args[1]);
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 16 },
            async (i, ct) => await driver.PutContentAsync($"/walk/{i % 10}/{i / 10 % 10}/file{i}", "x"u8.ToArray(), ct));
        Console.WriteLine($"populate {count} files {watch.Elapsed.TotalSeconds:F2} s");
        break;
    }

    case "walk":
    {
        var entries = await driver.WalkToListAsync("/walk");
        Console.WriteLine($"walk {entries.Count(e => !e.IsDirectory)} files + {entries.Count(e => e.IsDirectory)} directories {watch.Elapsed.TotalSeconds:F2} s");
        break;
    }

    case "clean":
        foreach (var path in new[] { "/bench", "/walk" })
        {
            try
            {
                await driver.DeleteAsync(path);
            }
            catch (PathNotFoundException)
            {
                // nothing there
            }
        }

        Console.WriteLine($"clean {watch.Elapsed.TotalSeconds:F2} s");
        break;

    default:
        throw new ArgumentException($"unknown phase {args[0]}");
}

static void Report(string phase, long bytes, TimeSpan elapsed) =>
    Console.WriteLine($"{phase} {bytes} bytes {elapsed.TotalSeconds:F2} s {bytes / 1e6 / elapsed.TotalSeconds:F1} MB/s");

static async Task Timed(string phase, int count, Func<Task> body)
{
    var watch = Stopwatch.StartNew();
    await body();
    Console.WriteLine($"{phase} {count} ops {watch.Elapsed.TotalSeconds:F2} s {count / watch.Elapsed.TotalSeconds:F0} ops/s");
}
