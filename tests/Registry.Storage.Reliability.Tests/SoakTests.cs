using System.Collections.Concurrent;
using System.Security.Cryptography;
using Registry.Storage.Drivers.InMemory;

namespace Registry.Storage.Reliability.Tests;

/// <summary>
/// A bounded soak: 32 workers write (streaming, mixed sizes), read back and cancel uploads at
/// random for a fixed time, then every committed object is read again and its SHA-256 compared:
/// nothing lost, nothing corrupted, and no cancelled upload visible (on the filesystem, no stray
/// file left on disk either; on a server, no multipart upload, segment or live block session
/// left behind, asked of the server itself). Process memory is sampled throughout and must stay
/// flat (<see cref="MemorySampler.Verdict"/>). Set REGSTORE_SOAK_SECONDS for a longer run.
/// </summary>
[TestFixture]
public sealed class SoakTests
{
    private const int Workers = 32;
    private static readonly int[] Sizes = [0, 1, 1024, 64 * 1024, 1024 * 1024, 3 * 1024 * 1024];

    private static TimeSpan Duration(int defaultSeconds) =>
        TimeSpan.FromSeconds(int.TryParse(Environment.GetEnvironmentVariable("REGSTORE_SOAK_SECONDS"), out var s) ? s : defaultSeconds);

    [Test, CancelAfter(120_000)]
    public async Task InMemorySoakLosesAndCorruptsNothing(CancellationToken cancellationToken)
    {
        var driver = await Drivers.CreateAsync("inmemory", new DriverParameters("inmemory", new Dictionary<string, object?> { [InMemoryParameters.RootDirectoryName] = "/soak" }), cancellationToken);
        // The in-memory store holds every committed byte, so its memory grows by design: reported, not judged.
        await SoakAsync(driver, Duration(10), memoryMustBeFlat: false, cancellationToken);
    }

    [Test, CancelAfter(180_000)]
    public async Task FilesystemSoakLosesNothingAndLeavesNoStrayFilesOnDisk(CancellationToken cancellationToken)
    {
        var root = Path.Combine(Path.GetTempPath(), Drivers.RunSegment("fs-soak"));
        try
        {
            var driver = await Drivers.CreateAsync("filesystem", new DriverParameters("filesystem", new Dictionary<string, object?> { ["rootdirectory"] = root }), cancellationToken);
            var (committed, _) = await SoakAsync(driver, Duration(15), memoryMustBeFlat: true, cancellationToken);

            var onDisk = Directory.GetFiles(root, "*", SearchOption.AllDirectories)
                .Select(f => "/" + Path.GetRelativePath(root, f).Replace(Path.DirectorySeparatorChar, '/'))
                .Order(StringComparer.Ordinal);
            onDisk.ShouldBe(committed.Keys.Order(StringComparer.Ordinal), "every file on disk is a committed object: no leftover upload");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>Chunk sizes that make the soak's 1 and 3 MiB objects multi-part where the driver allows it.</summary>
    private static readonly Dictionary<string, string> SoakChunk = new() { ["s3"] = "5MB", ["swift"] = "1MB", ["azure"] = "1MB", ["oss"] = "5MB" };

    [TestCase("s3"), TestCase("swift"), TestCase("azure"), TestCase("oss")]
    [CancelAfter(240_000)]
    public async Task NetworkSoakLosesAndCorruptsNothingAndLeavesNoUploadOnTheServer(string name, CancellationToken cancellationToken)
    {
        var required = Drivers.Network.Single(d => d.Name == name).Required;
        var parameters = Drivers.NetworkParameters(name, required, Drivers.RunSegment("soak")).With("chunksize", SoakChunk[name]);
        var driver = await Drivers.CreateAsync(name, parameters, cancellationToken);
        try
        {
            var (_, cancelled) = await SoakAsync(driver, Duration(15), memoryMustBeFlat: true, cancellationToken);

            var leftovers = await ServerLeftovers.CheckAsync(name, parameters, driver, cancelled, cancellationToken);
            TestContext.Out.WriteLine($"{name}: on the server after the soak: {leftovers.Text}");
            leftovers.Leftovers.ShouldBe(0, $"{name}: uploads left on the server: {leftovers.Text}");
        }
        finally
        {
            await Drivers.DeleteAllAsync(driver, CancellationToken.None);
        }
    }

    private static async Task<(ConcurrentDictionary<string, string> Committed, IReadOnlyCollection<string> Cancelled)> SoakAsync(
        IStorageDriver driver, TimeSpan duration, bool memoryMustBeFlat, CancellationToken cancellationToken)
    {
        await using var memory = MemorySampler.Start();
        var committed = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        var cancelled = new ConcurrentBag<string>();
        var reads = 0;
        var end = DateTime.UtcNow + duration;

        await Parallel.ForEachAsync(Enumerable.Range(0, Workers), new ParallelOptions { MaxDegreeOfParallelism = Workers, CancellationToken = cancellationToken }, async (worker, ct) =>
        {
            var random = new Random(worker);
            for (var i = 0; DateTime.UtcNow < end; i++)
            {
                var path = $"/w{worker:D2}/blob-{i:D5}";
                var size = Sizes[random.Next(Sizes.Length)];
                var cancel = random.Next(8) == 0;
                var digest = await WriteAsync(driver, path, size, random, cancel, ct).ConfigureAwait(false);
                if (cancel)
                {
                    cancelled.Add(path);
                }
                else
                {
                    committed[path] = digest;
                }

                // Read back some earlier object of this worker while the others keep writing.
                var earlier = $"/w{worker:D2}/blob-{random.Next(i + 1):D5}";
                if (committed.TryGetValue(earlier, out var expected))
                {
                    (await DigestAsync(driver, earlier, ct).ConfigureAwait(false)).ShouldBe(expected, $"{earlier} read back during the soak");
                    Interlocked.Increment(ref reads);
                }
            }
        }).ConfigureAwait(false);
        await memory.StopAsync().ConfigureAwait(false);
        var (flat, memoryText) = memory.Verdict();
        TestContext.Out.WriteLine($"{driver.Name}: memory: {memoryText}");
        if (memoryMustBeFlat)
        {
            flat.ShouldBeTrue($"memory must stay flat over the soak (last-quarter median <= first-quarter median x {MemorySampler.Ratio} + slack): {memoryText}");
        }

        foreach (var (path, digest) in committed)
        {
            (await DigestAsync(driver, path, cancellationToken).ConfigureAwait(false)).ShouldBe(digest, $"{path} after the soak");
        }

        foreach (var path in cancelled)
        {
            await Should.ThrowAsync<PathNotFoundException>(() => driver.StatAsync(path, cancellationToken), $"cancelled upload {path} must not be visible");
        }

        // Half the workers committing once is the floor even on a machine shared with other builds.
        committed.Count.ShouldBeGreaterThan(Workers / 2, "the soak committed objects to verify");
        TestContext.Out.WriteLine($"{driver.Name}: {Workers} workers for {duration.TotalSeconds:F0} s: {committed.Count} objects committed and verified ({committed.Count + reads} digest checks), {cancelled.Count} uploads cancelled and absent, 0 lost, 0 corrupted");
        return (committed, cancelled);
    }

    private static async Task<string> WriteAsync(IStorageDriver driver, string path, int size, Random random, bool cancel, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[64 * 1024];
        await using var writer = await driver.WriterAsync(path, append: false, cancellationToken).ConfigureAwait(false);
        for (var left = size; left > 0;)
        {
            var n = Math.Min(left, buffer.Length);
            random.NextBytes(buffer.AsSpan(0, n));
            hash.AppendData(buffer, 0, n);
            await writer.WriteAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
            left -= n;
        }

        if (cancel)
        {
            await writer.CancelAsync(cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await writer.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        return Convert.ToHexString(hash.GetHashAndReset());
    }

    private static async Task<string> DigestAsync(IStorageDriver driver, string path, CancellationToken cancellationToken)
    {
        await using var stream = await driver.ReaderAsync(path, 0, cancellationToken).ConfigureAwait(false);
        return Convert.ToHexString(await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false));
    }
}
