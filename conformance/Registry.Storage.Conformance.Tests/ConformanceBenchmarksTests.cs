using Registry.Storage.Drivers.InMemory;

namespace Registry.Storage.Conformance.Tests;

public class ConformanceBenchmarksTests
{
    [Test]
    public async Task RunAsync_MeasuresEveryBenchmark_AndCleansUp()
    {
        var store = "bench-meta-" + Guid.NewGuid().ToString("N");
        var roots = new List<string>();
        async ValueTask<IStorageDriver> CreateAsync(string rootName, CancellationToken ct)
        {
            roots.Add(rootName);
            return await CreateInMemoryAsync(store, rootName, ct);
        }

        var log = new StringWriter();
        var options = new ConformanceBenchmarkOptions { BigSize = 3 << 20, WalkFileCount = 300, MinDuration = TimeSpan.FromMilliseconds(20) };

        var results = await ConformanceBenchmarks.RunAsync(CreateAsync, options, log, CancellationToken.None);

        results.Select(r => r.Name).ShouldBe(ConformanceBenchmarks.Names);
        foreach (var result in results)
        {
            result.Operations.ShouldBeGreaterThan(0, result.Name);
            result.Elapsed.ShouldBeGreaterThan(TimeSpan.Zero, result.Name);
            result.PeakWorkingSetBytes.ShouldBeGreaterThan(0, result.Name);
            result.AllocatedBytes.ShouldBeGreaterThanOrEqualTo(0, result.Name);
        }

        results.Single(r => r.Name == "Stream1GB").BytesPerOperation.ShouldBe(3 << 20);
        results.Single(r => r.Name == "Stream1MB").MebibytesPerSecond.ShouldBeGreaterThan(0);
        log.ToString().ShouldContain("Walk:");
        ConformanceBenchmarks.ToMarkdown(results).Split('\n').Length.ShouldBe(results.Count + 2);

        roots.ShouldHaveSingleItem();
        var after = await CreateInMemoryAsync(store, roots[0], CancellationToken.None);
        (await after.ListSortedAsync(StoragePath.Root)).ShouldBeEmpty("the benchmarks must delete what they wrote");
    }

    [Test]
    public async Task RunAsync_RunsOnlyTheSelectedBenchmarks()
    {
        var store = "bench-meta-" + Guid.NewGuid().ToString("N");
        var options = new ConformanceBenchmarkOptions { Only = ["list5", "Delete5"], MinDuration = TimeSpan.FromMilliseconds(10) };

        var results = await ConformanceBenchmarks.RunAsync((root, ct) => CreateInMemoryAsync(store, root, ct), options, TextWriter.Null, CancellationToken.None);

        results.Select(r => r.Name).ShouldBe(["List5", "Delete5"]);
    }

    [Test]
    public async Task RunAsync_RejectsAnUnknownBenchmarkName()
    {
        var options = new ConformanceBenchmarkOptions { Only = ["PutGet2GB"] };

        var error = await Should.ThrowAsync<ArgumentException>(() =>
            ConformanceBenchmarks.RunAsync((root, ct) => CreateInMemoryAsync("unused", root, ct), options, TextWriter.Null, CancellationToken.None));

        error.Message.ShouldContain("PutGet2GB");
    }

    private static ValueTask<IStorageDriver> CreateInMemoryAsync(string store, string rootName, CancellationToken ct) =>
        new InMemoryDriverFactory().CreateAsync(
            new DriverParameters(InMemoryDriver.DriverName, new Dictionary<string, object?>
            {
                ["rootdirectory"] = "/" + rootName,
                ["store"] = store,
            }),
            ct);
}
