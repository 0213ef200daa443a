namespace Registry.Storage.Conformance;

/// <summary>
/// Distribution's driver benchmarks (<c>benchsuites.go</c>: PutGet and Stream at empty, 1KB,
/// 1MB and 1GB; List5/50; Delete5/50) plus a Walk over 10 000 files, reporting ops/s, MiB/s,
/// managed allocations and peak working set. Run on demand (<c>regstore bench --plugin &lt;folder&gt;</c>),
/// never part of the pass/fail suite.
/// </summary>
/// <remarks>
/// Each run works under a fresh random root and deletes what it wrote. Stream benchmarks
/// write through a writer from a repeated 1 MiB buffer (no whole blob in memory) and read the
/// file back to its end; PutGet holds the content in memory because PutContent takes it so.
/// </remarks>
public static class ConformanceBenchmarks
{
    private const int StreamChunk = 1 << 20;

    /// <summary>Every benchmark, in the order they run.</summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        "PutGetEmpty", "PutGet1KB", "PutGet1MB", "PutGet1GB",
        "StreamEmpty", "Stream1KB", "Stream1MB", "Stream1GB",
        "List5", "List50", "Delete5", "Delete50", "Walk",
    ];

    /// <summary>Runs the selected benchmarks against drivers from <paramref name="createDriver"/> (called with a fresh root name).</summary>
    public static async Task<IReadOnlyList<ConformanceBenchmarkResult>> RunAsync(
        Func<string, CancellationToken, ValueTask<IStorageDriver>> createDriver,
        ConformanceBenchmarkOptions options,
        TextWriter log,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(createDriver);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(log);
        var unknown = options.Only?.Where(n => !Names.Contains(n, StringComparer.OrdinalIgnoreCase)).ToList() ?? [];
        if (unknown.Count > 0)
        {
            throw new ArgumentException($"unknown benchmark(s) {string.Join(", ", unknown)}; known: {string.Join(", ", Names)}", nameof(options));
        }

        var rootName = StorageDriverConformance.NewRootName();
        var driver = await createDriver(rootName, ct);
        var results = new List<ConformanceBenchmarkResult>();
        try
        {
            await log.WriteLineAsync($"benchmarks: driver {driver.Name}, root {rootName}, big size {options.BigSize} bytes, walk over {options.WalkFileCount} files");
            foreach (var (name, run) in Plan(driver, options))
            {
                if (!options.Includes(name))
                {
                    continue;
                }

                var result = await run(ct);
                results.Add(result);
                await log.WriteLineAsync(result.ToString());
            }
        }
        finally
        {
            await DriverCleanup.CleanRootAsync(driver);
            await DriverCleanup.DisposeAsync(driver);
        }

        return results;
    }

    /// <summary>A Markdown table of <paramref name="results"/>.</summary>
    public static string ToMarkdown(IEnumerable<ConformanceBenchmarkResult> results) =>
        string.Join('\n', results.Select(r => r.ToMarkdownRow()).Prepend(ConformanceBenchmarkResult.MarkdownHeader));

    private static IEnumerable<(string Name, Func<CancellationToken, Task<ConformanceBenchmarkResult>> Run)> Plan(IStorageDriver driver, ConformanceBenchmarkOptions o)
    {
        yield return ("PutGetEmpty", ct => PutGetAsync(driver, o, "PutGetEmpty", 0, ct));
        yield return ("PutGet1KB", ct => PutGetAsync(driver, o, "PutGet1KB", 1024, ct));
        yield return ("PutGet1MB", ct => PutGetAsync(driver, o, "PutGet1MB", 1024 * 1024, ct));
        yield return ("PutGet1GB", ct => PutGetAsync(driver, o, "PutGet1GB", o.BigSize, ct));
        yield return ("StreamEmpty", ct => StreamAsync(driver, o, "StreamEmpty", 0, ct));
        yield return ("Stream1KB", ct => StreamAsync(driver, o, "Stream1KB", 1024, ct));
        yield return ("Stream1MB", ct => StreamAsync(driver, o, "Stream1MB", 1024 * 1024, ct));
        yield return ("Stream1GB", ct => StreamAsync(driver, o, "Stream1GB", o.BigSize, ct));
        yield return ("List5", ct => ListAsync(driver, o, "List5", 5, ct));
        yield return ("List50", ct => ListAsync(driver, o, "List50", 50, ct));
        yield return ("Delete5", ct => DeleteAsync(driver, o, "Delete5", 5, ct));
        yield return ("Delete50", ct => DeleteAsync(driver, o, "Delete50", 50, ct));
        yield return ("Walk", ct => WalkAsync(driver, o, ct));
    }

    // distribution's benchmarkPutGetFiles: PutContent then GetContent of a new file per iteration.
    private static async Task<ConformanceBenchmarkResult> PutGetAsync(IStorageDriver driver, ConformanceBenchmarkOptions options, string name, long size, CancellationToken ct)
    {
        var parentDir = "/" + name + "-" + TestData.RandomFilename(8);
        await using var meter = new BenchmarkMeter();
        var contents = TestData.RandomContents(size);
        try
        {
            while (meter.ShouldContinue(options))
            {
                var path = TestData.Join(parentDir, TestData.RandomPath(32));
                await meter.TimeAsync(async () =>
                {
                    await driver.PutContentAsync(path, contents, ct);
                    var read = await driver.GetContentAsync(path, ct);
                    Check(read.Length == size, $"{name}: GetContent returned {read.Length} bytes, expected {size}");
                });
            }

            return await meter.FinishAsync(name, size);
        }
        finally
        {
            await DriverCleanup.DeleteIgnoringMissingAsync(driver, parentDir);
        }
    }

    // distribution's benchmarkStreamFiles: a writer per file, then a reader (read to its end here).
    private static async Task<ConformanceBenchmarkResult> StreamAsync(IStorageDriver driver, ConformanceBenchmarkOptions options, string name, long size, CancellationToken ct)
    {
        var parentDir = "/" + name + "-" + TestData.RandomFilename(8);
        await using var meter = new BenchmarkMeter();
        var chunk = TestData.RandomContents(Math.Min(size, StreamChunk));
        var readBuffer = new byte[StreamChunk];
        try
        {
            while (meter.ShouldContinue(options))
            {
                var path = TestData.Join(parentDir, TestData.RandomPath(32));
                await meter.TimeAsync(async () =>
                {
                    var writer = await driver.WriterAsync(path, append: false, ct);
                    await using (writer)
                    {
                        for (long written = 0; written < size; written += chunk.Length)
                        {
                            await writer.WriteAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, size - written)), ct);
                        }

                        await writer.CommitAsync(ct);
                        Check(writer.Size == size, $"{name}: the writer reports {writer.Size} bytes, expected {size}");
                    }

                    var reader = await driver.ReaderAsync(path, 0, ct);
                    await using (reader)
                    {
                        long read = 0;
                        int n;
                        while ((n = await reader.ReadAsync(readBuffer, ct)) > 0)
                        {
                            read += n;
                        }

                        Check(read == size, $"{name}: read back {read} bytes, expected {size}");
                    }
                });
            }

            return await meter.FinishAsync(name, size);
        }
        finally
        {
            await DriverCleanup.DeleteIgnoringMissingAsync(driver, parentDir);
        }
    }

    // distribution's benchmarkListFiles: List a directory of numFiles empty files.
    private static async Task<ConformanceBenchmarkResult> ListAsync(IStorageDriver driver, ConformanceBenchmarkOptions options, string name, int numFiles, CancellationToken ct)
    {
        var parentDir = "/" + name + "-" + TestData.RandomFilename(8);
        await using var meter = new BenchmarkMeter();
        try
        {
            await CreateEmptyFilesAsync(driver, options, Enumerable.Range(0, numFiles).Select(i => $"{parentDir}/file{i}"), ct);
            while (meter.ShouldContinue(options))
            {
                await meter.TimeAsync(async () =>
                {
                    var count = 0;
                    await foreach (var _ in driver.ListAsync(parentDir, ct))
                    {
                        count++;
                    }

                    Check(count == numFiles, $"{name}: listed {count} files, expected {numFiles}");
                });
            }

            return await meter.FinishAsync(name, 0);
        }
        finally
        {
            await DriverCleanup.DeleteIgnoringMissingAsync(driver, parentDir);
        }
    }

    // distribution's benchmarkDeleteFiles: set up numFiles empty files (untimed), time deleting their directory.
    private static async Task<ConformanceBenchmarkResult> DeleteAsync(IStorageDriver driver, ConformanceBenchmarkOptions options, string name, int numFiles, CancellationToken ct)
    {
        await using var meter = new BenchmarkMeter();
        while (meter.ShouldContinue(options))
        {
            var parentDir = "/" + name + "-" + TestData.RandomFilename(8);
            try
            {
                await CreateEmptyFilesAsync(driver, options, Enumerable.Range(0, numFiles).Select(i => $"{parentDir}/file{i}"), ct);
                await meter.TimeAsync(() => driver.DeleteAsync(parentDir, ct));
            }
            finally
            {
                await DriverCleanup.DeleteIgnoringMissingAsync(driver, parentDir);
            }
        }

        return await meter.FinishAsync(name, 0);
    }

    // Walk over WalkFileCount files spread over 100 directories: the registry's garbage collector's access pattern.
    private static async Task<ConformanceBenchmarkResult> WalkAsync(IStorageDriver driver, ConformanceBenchmarkOptions options, CancellationToken ct)
    {
        var parentDir = "/Walk-" + TestData.RandomFilename(8);
        await using var meter = new BenchmarkMeter();
        try
        {
            var files = Enumerable.Range(0, options.WalkFileCount).Select(i => $"{parentDir}/d{i % 100:D2}/file{i}");
            await CreateEmptyFilesAsync(driver, options, files, ct);
            var expectedFiles = options.WalkFileCount;
            while (meter.ShouldContinue(options))
            {
                await meter.TimeAsync(async () =>
                {
                    var count = 0;
                    await driver.WalkAsync(parentDir, (entry, _) =>
                    {
                        if (!entry.IsDirectory)
                        {
                            count++;
                        }

                        return ValueTask.FromResult(WalkDecision.Continue);
                    }, cancellationToken: ct);
                    Check(count == expectedFiles, $"Walk: visited {count} files, expected {expectedFiles}");
                });
            }

            return await meter.FinishAsync("Walk", 0);
        }
        finally
        {
            await DriverCleanup.DeleteIgnoringMissingAsync(driver, parentDir);
        }
    }

    private static Task CreateEmptyFilesAsync(IStorageDriver driver, ConformanceBenchmarkOptions options, IEnumerable<string> paths, CancellationToken ct) =>
        Parallel.ForEachAsync(paths, new ParallelOptions { MaxDegreeOfParallelism = options.SetupConcurrency, CancellationToken = ct },
            async (path, token) => await driver.PutContentAsync(path, ReadOnlyMemory<byte>.Empty, token));

    private static void Check(bool condition, string message)
    {
        if (!condition)
        {
            throw new InvalidOperationException(message);
        }
    }
}
