using CsCheck;
using Registry.Storage.Drivers.InMemory;

namespace Registry.Storage.Reliability.Tests;

/// <summary>
/// Property: for any generated hostile path, every operation of every driver either rejects it
/// with <see cref="InvalidPathException"/> (or a named storage error) or handles it inside the
/// driver's root — and nothing outside the root changes: a sentinel folder/prefix that holds
/// the root and a sentinel file stays exactly as it was (checked on disk for filesystem, on
/// the server through a driver rooted one level up for the network drivers).
/// </summary>
[TestFixture]
public sealed class HostilePathTests
{
    private const int InMemoryIterations = 3000;
    private const int FilesystemIterations = 2000;
    private const int NetworkIterations = 100;
    private const string SafePath = "/probe/safe-source";

    [Test, CancelAfter(120_000)]
    public async Task InMemoryRejectsOrContainsEveryHostilePath(CancellationToken cancellationToken)
    {
        // Two drivers on one named store: the outer sees the whole store, the inner is rooted
        // below it, so anything escaping the inner root shows up in the outer's walk.
        var store = Drivers.RunSegment("store");
        var outer = await Drivers.CreateAsync("inmemory", new DriverParameters("inmemory", new Dictionary<string, object?> { [InMemoryParameters.StoreParameterName] = store }), cancellationToken);
        var inner = await Drivers.CreateAsync("inmemory", new DriverParameters("inmemory", new Dictionary<string, object?> { [InMemoryParameters.StoreParameterName] = store, ["rootdirectory"] = "/sentinel/root" }), cancellationToken);
        await RunPropertyAsync(outer, inner, "/sentinel", InMemoryIterations, cancellationToken);
    }

    [Test, CancelAfter(180_000)]
    public async Task FilesystemRejectsOrContainsEveryHostilePathOnDisk(CancellationToken cancellationToken)
    {
        var parent = Path.Combine(Path.GetTempPath(), Drivers.RunSegment("fs-sentinel"));
        var root = Path.Combine(parent, "root");
        Directory.CreateDirectory(root);
        await File.WriteAllTextAsync(Path.Combine(parent, "sentinel.txt"), "untouched", cancellationToken);
        Directory.CreateDirectory(Path.Combine(parent, "sibling"));
        try
        {
            var before = DiskSnapshot(parent, root);
            var driver = await Drivers.CreateAsync("filesystem", new DriverParameters("filesystem", new Dictionary<string, object?> { ["rootdirectory"] = root }), cancellationToken);
            var probe = await SampleAsync(driver, FilesystemIterations, cancellationToken);

            DiskSnapshot(parent, root).ShouldBe(before, "something outside the root changed on disk");
            probe.Findings.ShouldBeEmpty();
            probe.Paths.ShouldBeGreaterThanOrEqualTo(FilesystemIterations);
            TestContext.Out.WriteLine(Summary("filesystem", probe));
        }
        finally
        {
            Directory.Delete(parent, recursive: true);
        }
    }

    [TestCase("s3"), TestCase("azure"), TestCase("swift"), TestCase("oss"), TestCase("rados")]
    [CancelAfter(240_000)]
    public async Task NetworkDriverRejectsOrContainsEveryHostilePathOnTheServer(string name, CancellationToken cancellationToken)
    {
        var required = Drivers.Network.Single(d => d.Name == name).Required;
        var segment = Drivers.RunSegment("paths");
        var outer = await Drivers.CreateAsync(name, Drivers.NetworkParameters(name, required, segment), cancellationToken);
        var inner = await Drivers.CreateAsync(name, Drivers.NetworkParameters(name, required, segment + "/sentinel/root"), cancellationToken);
        try
        {
            await RunPropertyAsync(outer, inner, "/sentinel", NetworkIterations, cancellationToken);
        }
        finally
        {
            await Drivers.DeleteAllAsync(outer, CancellationToken.None);
        }
    }

    private static async Task RunPropertyAsync(IStorageDriver outer, IStorageDriver inner, string sentinel, int iterations, CancellationToken cancellationToken)
    {
        await outer.PutContentAsync(sentinel + "/sentinel.txt", "untouched"u8.ToArray(), cancellationToken);
        await outer.PutContentAsync(sentinel + "/sibling/file", "untouched"u8.ToArray(), cancellationToken);
        await outer.PutContentAsync(sentinel + "/rootsibling", "untouched"u8.ToArray(), cancellationToken);
        var before = Outside(await Drivers.SnapshotAsync(outer, "/", cancellationToken), sentinel + "/root/");

        var probe = await SampleAsync(inner, iterations, cancellationToken);

        var after = Outside(await Drivers.SnapshotAsync(outer, "/", cancellationToken), sentinel + "/root/");
        after.ShouldBe(before, "something outside the root changed on the store");
        probe.Findings.ShouldBeEmpty();
        probe.Paths.ShouldBeGreaterThanOrEqualTo(iterations);
        TestContext.Out.WriteLine(Summary(inner.Name, probe));
    }

    private static async Task<PathProbe> SampleAsync(IStorageDriver driver, int iterations, CancellationToken cancellationToken)
    {
        var probe = new PathProbe(driver, SafePath);

        // One thread: operations on one path run in order, and a finding names the path.
        await HostilePaths.Gen_.SampleAsync(path => probe.ProbeAsync(path, cancellationToken), iter: iterations, threads: 1);
        return probe;
    }

    private static SortedDictionary<string, string> Outside(SortedDictionary<string, string> files, string rootPrefix) =>
        new(files.Where(f => !f.Key.StartsWith(rootPrefix, StringComparison.Ordinal)).ToDictionary(), StringComparer.Ordinal);

    /// <summary>Every entry below <paramref name="parent"/> except the root, with file contents and mode bits.</summary>
    private static List<string> DiskSnapshot(string parent, string root) =>
        [.. new DirectoryInfo(Path.GetDirectoryName(parent)!).EnumerateFileSystemInfos(Path.GetFileName(parent))
            .Concat(new DirectoryInfo(parent).EnumerateFileSystemInfos("*", SearchOption.AllDirectories))
            .Where(i => !(i.FullName == root || i.FullName.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal)))
            .Select(i => i is FileInfo f ? $"{f.FullName} {f.Length} {Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(f.FullName)))}" : i.FullName + "/")
            .Order(StringComparer.Ordinal)];

    private static string Summary(string name, PathProbe probe) =>
        $"{name}: {probe.Paths} paths, {probe.Rejected} operations rejected as invalid, {probe.Handled} handled, {probe.OtherStorageErrors} other named storage errors";
}
