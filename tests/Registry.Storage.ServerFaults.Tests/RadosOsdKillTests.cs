using System.Diagnostics;
using System.Security.Cryptography;
using Registry.Storage.Conformance;
using Registry.Storage.Drivers.Rados;
using TestDrivers = Registry.Storage.Reliability.Tests.Drivers;

namespace Registry.Storage.ServerFaults.Tests;

/// <summary>
/// SIGKILLs one OSD of a three-OSD cluster (pool size 2, min_size 1; its own cluster, started
/// and stopped here) in the middle of a rados driver operation: a 1 GiB streamed write, a 1 GiB
/// read, a move, a 300-file tree delete. The operation succeeds (librados resends to the
/// surviving replica once the mon marks the OSD down) or fails with a named
/// <see cref="StorageDriverException"/> within the driver's <c>timeout</c>; nothing
/// half-written is ever visible; with the OSD still down (read from the survivors), and again
/// once it is back, the cluster is HEALTH_OK with every PG active+clean and the returned OSD is
/// made the primary of every PG it holds (read from the copies recovery gave it), everything
/// committed reads back with the right SHA-256 and the tree shows exactly the state the
/// operation left.
/// </summary>
[TestFixture, NonParallelizable]
public sealed class RadosOsdKillTests
{
    private const int Osds = 3;
    private const long Committed = 8L << 20;

    /// <summary>The driver's stripe size (its default, set explicitly): the tests write in chunks of it.</summary>
    private const int ChunkSize = 4 << 20;

    /// <summary>
    /// The driver's <c>timeout</c> (its default): it bounds every librados call. A killed OSD is
    /// marked down within about a second (its peers report the refused connection), so a call
    /// stalled on it is resent to the survivor long before this.
    /// </summary>
    private static readonly TimeSpan DriverTimeout = TimeSpan.FromSeconds(30);

    /// <summary>A failure must arrive within the driver's timeout after the kill, plus this (scheduling on a loaded machine).</summary>
    private static readonly TimeSpan FailureSlack = TimeSpan.FromSeconds(15);

    /// <summary>How long an operation may take in all before it counts as hung.</summary>
    private static readonly TimeSpan OperationBound = TimeSpan.FromMinutes(5);

    /// <summary>How long recovery to HEALTH_OK / all PGs active+clean may take.</summary>
    private static readonly TimeSpan CleanBound = TimeSpan.FromMinutes(4);

    private static readonly TimeSpan TestBound = TimeSpan.FromMinutes(15);

    private readonly List<string> _summary = [];
    private readonly Dictionary<int, long> _peakMemory = [];
    private CephCluster? _cluster;

    /// <summary>The large write's and read's size: 1 GiB, or REGSTORE_FAULTS_OSD_SIZE (e.g. 256MB) for quick runs.</summary>
    private static long LargeSize =>
        ByteSize.TryParse(Environment.GetEnvironmentVariable("REGSTORE_FAULTS_OSD_SIZE"), out var size) ? size : 1L << 30;

    private CephCluster Cluster => _cluster ?? throw new InvalidOperationException("the cluster did not start");

    [OneTimeSetUp]
    public async Task StartAThreeOsdClusterAsync()
    {
        if (!CephCluster.IsInstalled)
        {
            const string Message = "ceph-mon and ceph-osd are not installed (bash services/ceph/install.sh installs them)";
            if (ConformanceEnvironment.IsCi)
            {
                Assert.Fail(Message + "; under CI=true every server must run");
            }

            Assert.Ignore(Message);
        }

        // Installed but unable to start is a failure (here and under CI), never a skip.
        _cluster = await CephCluster.StartAsync(Osds, blockSize: "16G");
        Summarise($"cluster: {Osds} OSDs (bluestore on sparse 16 GiB files), started in {_cluster.StartTime.TotalSeconds:0.0} s; OSD RSS after start {Mib(_cluster.OsdMemory().Sum(m => m.Rss))}");
    }

    [OneTimeTearDown]
    public async Task StopTheClusterAsync()
    {
        if (_cluster is null)
        {
            return;
        }

        Summarise($"peak RSS per OSD process: {string.Join(", ", _peakMemory.OrderBy(p => p.Key).Select(p => $"osd.{p.Key} {Mib(p.Value)}"))}");
        await _cluster.DisposeAsync();
        TestContext.Progress.WriteLine("RadosOsdKillTests summary:");
        foreach (var line in _summary)
        {
            TestContext.Progress.WriteLine("  " + line);
        }
    }

    /// <summary>Every test starts on a healthy cluster: every OSD up, every PG active+clean.</summary>
    [SetUp]
    public async Task EveryOsdIsUpAndEveryPgCleanAsync()
    {
        await Cluster.StartEveryOsdAsync();
        await Cluster.WaitCleanAsync(CleanBound);
    }

    [Test, Order(1)]
    public Task AnOsdKilledDuringA1GiBWriteLeavesNothingHalfWrittenAndEveryCommittedByteIntact() => RunAsync("write", async c =>
    {
        var size = LargeSize;
        var committed = new Expected("/committed", Committed, await Content.Sha256Async(Committed, 1, c.Token));
        var big = new Expected("/big", size, await Content.Sha256Async(size, 2, c.Token));
        await Content.WriteAsync(c.Driver, committed.Path, Committed, 1, ChunkSize, c.Token);

        // The victim is the primary of the directory object the commit swaps the entry in; the
        // stripes spread over all 32 PGs, so every OSD holds a replica of two thirds of them.
        var victim = await Cluster.PrimaryOfAsync(c.DirectoryObject("/"));
        using var stopWatching = CancellationTokenSource.CreateLinkedTokenSource(c.Token);
        var watch = WatchUntilCompleteAsync(c.Watcher, big, stopWatching.Token);

        var clock = new KillClock();
        long writtenAtKill = -1;
        var writer = await c.Driver.WriterAsync(big.Path, append: false, c.Token);
        async Task WriteAndCommitAsync()
        {
            using var source = new SeededRandomStream(size, 2);
            var buffer = new byte[ChunkSize];
            long written = 0;
            int read;
            while ((read = await source.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, c.Token)) > 0)
            {
                await writer.WriteAsync(buffer.AsMemory(0, read), c.Token);
                written += read;
                clock.Step();
                if (writtenAtKill < 0 && written >= size / 2)
                {
                    writtenAtKill = written;
                    await clock.KillAsync(Cluster, victim);
                }
            }

            await writer.CommitAsync(c.Token);
            clock.Step();
        }

        var failure = await EndsNamedAndBoundedAsync(WriteAndCommitAsync(), big.Path, clock, "a 1 GiB write");
        await stopWatching.CancelAsync();
        var watched = await watch;
        string outcome;
        if (failure is null)
        {
            await writer.DisposeAsync();

            // With the victim still down: the survivors serve the whole content.
            var degradedRead = Stopwatch.StartNew();
            (await c.StateAsync(big)).ShouldBe(Stored.Intact, "read with the killed OSD still down");
            (await c.StateAsync(committed)).ShouldBe(Stored.Intact);
            outcome = $"committed; read back whole with osd.{victim} still down in {degradedRead.Elapsed.TotalSeconds:0.0} s";
        }
        else
        {
            // Closing may fail too; the upload stays invisible either way.
            try
            {
                await writer.DisposeAsync().AsTask().WaitAsync(OperationBound, c.Token);
            }
            catch (StorageDriverException error)
            {
                error.DriverName.ShouldBe(RadosDriver.DriverName);
            }

            await Should.ThrowAsync<PathNotFoundException>(() => c.Driver.StatAsync(big.Path, c.Token));
            outcome = "not committed, not visible";
        }

        var recovery = await RestartAndWaitCleanAsync(victim);
        if (failure is not null)
        {
            await Should.ThrowAsync<PathNotFoundException>(() => c.Driver.StatAsync(big.Path, c.Token));
            await ResumeOrRewriteAsync(c, big, seed: 2);
            outcome += "; written again after the OSD's return";
        }

        await FromTheReturnedOsdAsync(victim, async () =>
        {
            (await c.StateAsync(big)).ShouldBe(Stored.Intact, "read from the returned OSD's copies");
            (await c.StateAsync(committed)).ShouldBe(Stored.Intact, "read from the returned OSD's copies");
        });
        Summarise($"write {Mib(size)}: osd.{victim} killed after {Mib(writtenAtKill)}; {Describe(failure, clock)}; {outcome}; watcher: {watched}; osd.{victim} back and clean in {recovery.TotalSeconds:0.0} s; SHA-256 of both objects correct read from its copies");
    });

    [Test, Order(2)]
    public Task AnOsdKilledDuringA1GiBReadLeavesItWholeOrFailedNamedAndResumable() => RunAsync("read", async c =>
    {
        var size = LargeSize;
        var blob = new Expected("/blob", size, await Content.Sha256Async(size, 3, c.Token));
        await Content.WriteAsync(c.Driver, blob.Path, size, 3, ChunkSize, c.Token);

        // Each stripe is read from its PG's primary; every OSD is primary for about a third of
        // the 32 PGs, and the reader keeps several stripe reads in flight until the mon marks the
        // victim down, so some land on it whichever it is (the longest stall shows it).
        var victim = await Cluster.PrimaryOfAsync(c.DirectoryObject("/"));

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var clock = new KillClock();
        long read = 0;
        long readAtKill = -1;
        var reader = await c.Driver.ReaderAsync(blob.Path, 0, c.Token);
        async Task ReadAllAsync()
        {
            var buffer = new byte[1 << 20];
            int n;
            while ((n = await reader.ReadAsync(buffer, c.Token)) > 0)
            {
                hash.AppendData(buffer, 0, n);
                read += n;
                clock.Step();
                if (readAtKill < 0 && read >= size / 4)
                {
                    readAtKill = read;
                    await clock.KillAsync(Cluster, victim);
                }
            }
        }

        var failure = await EndsNamedAndBoundedAsync(ReadAllAsync(), blob.Path, clock, "a 1 GiB read");
        await reader.DisposeAsync();
        string outcome = "";
        if (failure is null)
        {
            // Success only with every byte, correct: a read may stall, never come up short.
            read.ShouldBe(size, $"the read ended without an error after {read} of {size} bytes");
            hash.GetHashAndReset().ShouldBe(blob.Sha256);
            outcome = "every byte, SHA-256 correct";
        }

        var recovery = await RestartAndWaitCleanAsync(victim);
        await FromTheReturnedOsdAsync(victim, async () =>
        {
            (await c.StateAsync(blob)).ShouldBe(Stored.Intact, "read from the returned OSD's copies");
        });
        if (failure is not null)
        {
            // A reader at the offset reached finishes it: both parts hash to the object.
            var resumedAt = read;
            await using var resumed = await c.Driver.ReaderAsync(blob.Path, read, c.Token);
            var buffer = new byte[1 << 20];
            int n;
            while ((n = await resumed.ReadAsync(buffer, c.Token)) > 0)
            {
                hash.AppendData(buffer, 0, n);
                read += n;
            }

            read.ShouldBe(size);
            hash.GetHashAndReset().ShouldBe(blob.Sha256, "the bytes read before the failure plus the resumed read are the object");
            outcome = $"a reader at {Mib(resumedAt)} after the OSD's return read the rest; SHA-256 of both parts correct";
        }

        Summarise($"read {Mib(size)}: osd.{victim} killed after {Mib(readAtKill)}; {Describe(failure, clock)}; {outcome}; back and clean in {recovery.TotalSeconds:0.0} s; SHA-256 correct read from its copies");
    });

    [Test, Order(3)]
    public Task AnOsdKilledDuringAMoveLeavesTheOldOrTheNewStateNeverAMixture() => RunAsync("move", async c =>
    {
        var moved = new Expected("/src/blob", 64L << 20, await Content.Sha256Async(64L << 20, 4, c.Token));
        var old = new Expected("/dst/blob", Committed, await Content.Sha256Async(Committed, 5, c.Token));
        await Content.WriteAsync(c.Driver, "/first/blob", moved.Length, 4, ChunkSize, c.Token);
        await Content.WriteAsync(c.Driver, old.Path, old.Length, 5, ChunkSize, c.Token);

        // An undisturbed move of the same object first, for comparison.
        var undisturbed = Stopwatch.StartNew();
        await c.Driver.MoveAsync("/first/blob", moved.Path, c.Token);
        undisturbed.Stop();

        // The victim serves the destination's directory object (the entry swap); the move is
        // started and the OSD killed at once: a RADOS move is a few omap calls, milliseconds.
        var victim = await Cluster.PrimaryOfAsync(c.DirectoryObject("/dst"));
        var clock = new KillClock();
        var move = c.Driver.MoveAsync(moved.Path, old.Path, c.Token);
        var doneBeforeKill = move.IsCompleted;
        await clock.KillAsync(Cluster, victim);
        var failure = await EndsNamedAndBoundedAsync(move, moved.Path, clock, "a move");

        // Source: gone or the moved content; destination: the old or the moved content; never lost, never mixed.
        async Task<(string Source, string Destination)> StatesAsync() =>
            (await c.WhichAsync(moved.Path, ("moved", moved)), await c.WhichAsync(old.Path, ("moved", moved), ("old", old)));
        var degraded = await StatesAsync();
        degraded.Source.ShouldBeOneOf("missing", "moved");
        degraded.Destination.ShouldBeOneOf("moved", "old");
        (degraded.Source == "moved" || degraded.Destination == "moved").ShouldBeTrue($"the moved content was lost: {degraded}");
        if (failure is null)
        {
            degraded.ShouldBe(("missing", "moved"), "a move reported as done is done");
        }

        (await c.ListAsync("/dst")).ShouldBe([old.Path]);
        var recovery = await RestartAndWaitCleanAsync(victim);
        (await StatesAsync()).ShouldBe(degraded, "the OSD's return and recovery change nothing the move left");
        await FromTheReturnedOsdAsync(victim, async () =>
            (await StatesAsync()).ShouldBe(degraded, "the returned OSD's copies hold the state the move left"));
        if (degraded.Source == "moved")
        {
            await c.Driver.MoveAsync(moved.Path, old.Path, c.Token);
        }

        (await StatesAsync()).ShouldBe(("missing", "moved"));
        Summarise($"move of {Mib(moved.Length)} over an {Mib(old.Length)} file: osd.{victim} (primary of the destination directory) killed {(doneBeforeKill ? "after the move had finished (no fault seen)" : "with the move in flight")} (an undisturbed move took {undisturbed.Elapsed.TotalSeconds:0.000} s); {Describe(failure, clock)}; with the OSD down source {degraded.Source}, destination {degraded.Destination}; the same after its return (clean in {recovery.TotalSeconds:0.0} s) and read from its copies");
    });

    [Test, Order(4)]
    public Task AnOsdKilledDuringATreeDeleteLeavesEachFileGoneOrIntactAndNothingComesBack() => RunAsync("delete", async c =>
    {
        var files = Enumerable.Range(0, 300)
            .Select(i => (Path: $"/tree/d{i % 10}/f{i:D3}", Seed: (ulong)(1000 + i), Length: 1024L + (i * 37 % 3072)))
            .ToArray();
        var expected = new Dictionary<string, Expected>();
        foreach (var file in files)
        {
            expected[file.Path] = new Expected(file.Path, file.Length, await Content.Sha256Async(file.Length, file.Seed, c.Token));
        }

        // The same tree twice: one deleted undisturbed for comparison, then the one under test.
        await Parallel.ForEachAsync(files.SelectMany(f => new[] { f, f with { Path = "/undisturbed" + f.Path } }),
            new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = c.Token },
            async (file, token) => await Content.WriteAsync(c.Driver, file.Path, file.Length, file.Seed, ChunkSize, token));
        var undisturbed = Stopwatch.StartNew();
        await c.Driver.DeleteAsync("/undisturbed", c.Token);
        undisturbed.Stop();

        // Killed once the delete has visibly started (the first file is gone): the victim is the
        // primary of the directory it is emptying.
        var first = files.Select(f => f.Path).Order(StringComparer.Ordinal).First();
        var victim = await Cluster.PrimaryOfAsync(c.DirectoryObject(StoragePath.Parent(first)));
        var clock = new KillClock();
        var delete = c.Driver.DeleteAsync("/tree", c.Token);
        var polls = 0;
        while (!delete.IsCompleted && await Content.ExistsAsync(c.Watcher, first, c.Token))
        {
            polls++;
        }

        var doneBeforeKill = delete.IsCompleted;
        await clock.KillAsync(Cluster, victim);
        var failure = await EndsNamedAndBoundedAsync(delete, "/tree", clock, "a tree delete");

        async Task<Dictionary<string, Stored>> StatesAsync()
        {
            var states = new Dictionary<string, Stored>();
            foreach (var file in expected.Values)
            {
                states[file.Path] = await c.StateAsync(file);
            }

            return states;
        }

        var degraded = await StatesAsync();
        degraded.Values.ShouldNotContain(Stored.Corrupt);
        var gone = degraded.Values.Count(s => s == Stored.Missing);
        if (failure is null)
        {
            gone.ShouldBe(files.Length, "a delete reported as done is done");
            await Should.ThrowAsync<PathNotFoundException>(() => c.Driver.StatAsync("/tree", c.Token));
        }

        var recovery = await RestartAndWaitCleanAsync(victim);
        (await StatesAsync()).ShouldBe(degraded, "the OSD's return brings no deleted file back and loses no other");
        await FromTheReturnedOsdAsync(victim, async () =>
            (await StatesAsync()).ShouldBe(degraded, "the returned OSD's copies hold the state the delete left"));
        if (gone < files.Length)
        {
            await c.Driver.DeleteAsync("/tree", c.Token);
        }

        await Should.ThrowAsync<PathNotFoundException>(() => c.Driver.StatAsync("/tree", c.Token));
        foreach (var file in files)
        {
            await Should.ThrowAsync<PathNotFoundException>(() => c.Driver.StatAsync(file.Path, c.Token));
        }

        Summarise($"delete of a 300-file tree: osd.{victim} (primary of {StoragePath.Parent(first)}) killed {(doneBeforeKill ? "after the delete had finished" : $"with the delete in flight (after {polls} polls)")} (an undisturbed delete of the same tree took {undisturbed.Elapsed.TotalSeconds:0.00} s); {Describe(failure, clock)}; with the OSD down {gone} gone, {files.Length - gone} intact, 0 corrupt; the same after its return (clean in {recovery.TotalSeconds:0.0} s) and read from its copies{(gone < files.Length ? "; a second delete removed the rest" : "")}");
    });

    /// <summary>
    /// Runs <paramref name="test"/> bounded by <see cref="TestBound"/> with a driver and a second
    /// one (the watcher) rooted in a fresh folder; whatever happens, every OSD runs again after.
    /// Nothing is deleted: the cluster is thrown away after the fixture.
    /// </summary>
    private async Task RunAsync(string purpose, Func<Run, Task> test)
    {
        using var timeout = new CancellationTokenSource(TestBound);
        var root = $"osd-kill-{purpose}-{Guid.NewGuid():N}"[..32];
        var parameters = Cluster.Parameters
            .With("rootdirectory", root)
            .With("chunksize", "4MiB")
            .With("timeout", $"{DriverTimeout.TotalSeconds:0}s");
        await using var driver = await TestDrivers.CreateAsync(RadosDriver.DriverName, parameters, timeout.Token);
        await using var watcher = await TestDrivers.CreateAsync(RadosDriver.DriverName, parameters, timeout.Token);
        try
        {
            await test(new Run(driver, watcher, root, timeout.Token));
        }
        finally
        {
            NotePeakMemory();
            await Cluster.StartEveryOsdAsync();
            await Cluster.EveryOsdServesAgainAsync();
        }
    }

    private async Task<TimeSpan> RestartAndWaitCleanAsync(int osd)
    {
        var clock = Stopwatch.StartNew();
        NotePeakMemory();
        await Cluster.StartOsdAsync(osd);
        await Cluster.WaitCleanAsync(CleanBound);
        return clock.Elapsed;
    }

    /// <summary>
    /// Runs <paramref name="check"/> with <paramref name="osd"/> (back after its kill, the cluster
    /// clean) as the primary of every PG it holds, so its reads come from the copies the OSD kept
    /// and recovery gave it; then every OSD serves again.
    /// </summary>
    private async Task FromTheReturnedOsdAsync(int osd, Func<Task> check)
    {
        await Cluster.ServeFromAsync(osd);
        await check();
        await Cluster.EveryOsdServesAgainAsync();
    }

    /// <summary>
    /// Awaits an operation during which an OSD was killed: it must end within
    /// <see cref="OperationBound"/>, and either succeed (null) or fail with a
    /// <see cref="StorageDriverException"/> naming the driver and <paramref name="path"/>, no later
    /// than the driver's timeout after the kill.
    /// </summary>
    private static async Task<StorageDriverException?> EndsNamedAndBoundedAsync(Task operation, string path, KillClock clock, string what)
    {
        try
        {
            await operation.WaitAsync(OperationBound);
            clock.Ended();
            clock.LongestStall.ShouldBeLessThan(DriverTimeout + FailureSlack, $"{what} stalled longer than the driver's timeout without failing");
            return null;
        }
        catch (TimeoutException) when (!operation.IsCompleted)
        {
            Assert.Fail($"rados: {what} hung: still running {OperationBound.TotalMinutes:0} min after it started");
            throw;
        }
        catch (StorageDriverException error)
        {
            clock.Ended();
            error.DriverName.ShouldBe(RadosDriver.DriverName, $"the error names the driver: {error}");
            error.Message.ShouldContain(RadosDriver.DriverName);
            (error.Path == path || error.Message.Contains(path, StringComparison.Ordinal)).ShouldBeTrue($"the error names {path}: {error.Message}");
            clock.SinceKill.ShouldBeLessThan(DriverTimeout + FailureSlack, $"{what} failed, but later than the driver's timeout after the kill");
            return error;
        }
    }

    /// <summary>Finishes <paramref name="file"/> after a failed write: appends where the upload was kept, else writes it afresh.</summary>
    private static async Task ResumeOrRewriteAsync(Run c, Expected file, ulong seed)
    {
        FileWriter again;
        try
        {
            again = await c.Driver.WriterAsync(file.Path, append: true, c.Token);
        }
        catch (PathNotFoundException)
        {
            again = await c.Driver.WriterAsync(file.Path, append: false, c.Token);
        }

        await using (again)
        {
            using var rest = new SeededRandomStream(file.Length, seed) { Position = again.Size };
            await rest.CopyToAsync(again, ChunkSize, c.Token);
            await again.CommitAsync(c.Token);
        }
    }

    /// <summary>
    /// Until cancelled, asks a second driver for <paramref name="file"/> (Stat) and its parent's
    /// listing: absent, or present with its full size — never a partial file. Returns a summary.
    /// </summary>
    private static async Task<string> WatchUntilCompleteAsync(IStorageDriver watcher, Expected file, CancellationToken cancellationToken)
    {
        int polls = 0, absent = 0, complete = 0, errors = 0;
        var parent = StoragePath.Parent(file.Path);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var listed = false;
                await foreach (var child in watcher.ListAsync(parent, cancellationToken))
                {
                    listed |= child == file.Path;
                }

                var info = await watcher.StatAsync(file.Path, cancellationToken);
                info.Size.ShouldBe(file.Length, $"Stat showed {file.Path} with {info.Size} of {file.Length} bytes");
                complete++;
            }
            catch (PathNotFoundException)
            {
                absent++;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (StorageDriverException)
            {
                errors++; // a watcher's call may fail named (a timeout) like any other; never shows a partial file
            }

            polls++;
            await Task.Delay(10, CancellationToken.None); // about 100 polls a second: watching, not a load of its own
        }

        return $"{polls} Stat+List polls: {absent} absent, {complete} complete, {errors} failed named, 0 partial";
    }

    // VmHWM is per process: sampled before an OSD is restarted and after each test.
    private void NotePeakMemory()
    {
        foreach (var (id, _, peak) in Cluster.OsdMemory())
        {
            _peakMemory[id] = Math.Max(_peakMemory.GetValueOrDefault(id), peak);
        }
    }

    private void Summarise(string line)
    {
        _summary.Add(line);
        TestContext.Progress.WriteLine($"  [rados osd-kill] {line}");
    }

    private static string Describe(StorageDriverException? failure, KillClock clock) => failure is null
        ? $"succeeded {clock.SinceKill.TotalSeconds:0.00} s after the kill" + (clock.LongestBeforeKill > TimeSpan.Zero
            ? $" (longest wait for a chunk after it {clock.LongestStall.TotalSeconds:0.00} s, before it {clock.LongestBeforeKill.TotalSeconds:0.00} s)"
            : "")
        : $"failed {clock.SinceKill.TotalSeconds:0.00} s after the kill with {failure.GetType().Name} \"{(failure.Message.Length <= 200 ? failure.Message : failure.Message[..200] + "…")}\"";

    private static string Mib(long bytes) => $"{bytes / (1024.0 * 1024):0} MiB";

    /// <summary>A file the test committed (or may have committed): its path, length and SHA-256.</summary>
    private sealed record Expected(string Path, long Length, byte[] Sha256);

    /// <summary>One test's drivers (the second only watches), run root and bound.</summary>
    private sealed record Run(IStorageDriver Driver, IStorageDriver Watcher, string Root, CancellationToken Token)
    {
        /// <summary>The RADOS object holding directory <paramref name="path"/>'s entries (plugins/Rados/README.md, "Layout").</summary>
        public string DirectoryObject(string path) => Root + "/dir:" + path;

        public Task<Stored> StateAsync(Expected file) => Content.StateAsync(Driver, file.Path, file.Length, file.Sha256, Token);

        /// <summary>"missing", the name of the candidate whose content <paramref name="path"/> holds (Stat size and SHA-256), or "corrupt".</summary>
        public async Task<string> WhichAsync(string path, params (string Name, Expected Content)[] candidates)
        {
            try
            {
                var info = await Driver.StatAsync(path, Token);
                await using var reader = await Driver.ReaderAsync(path, 0, Token);
                var (length, sha) = await StreamChecks.HashAsync(reader, Token);
                var match = candidates.Where(k => k.Content.Length == length && info.Size == length && k.Content.Sha256.AsSpan().SequenceEqual(sha));
                return match.Select(k => k.Name).FirstOrDefault() ?? "corrupt";
            }
            catch (PathNotFoundException)
            {
                return "missing";
            }
        }

        public async Task<List<string>> ListAsync(string path)
        {
            var children = new List<string>();
            await foreach (var child in Driver.ListAsync(path, Token))
            {
                children.Add(child);
            }

            return children;
        }
    }

    /// <summary>When the OSD died, when the operation ended, and the longest wait between two of its steps after the kill.</summary>
    private sealed class KillClock
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private TimeSpan _lastStep;
        private TimeSpan? _killedAt;
        private TimeSpan? _endedAt;

        /// <summary>From the kill to the end of the operation (or to now).</summary>
        public TimeSpan SinceKill => (_endedAt ?? _clock.Elapsed) - (_killedAt ?? _clock.Elapsed);

        /// <summary>The longest gap between the kill or a step and the next step (the end counts as one).</summary>
        public TimeSpan LongestStall { get; private set; }

        /// <summary>The longest gap between two steps before the kill (the operation's own pace, for comparison); zero for an operation without steps.</summary>
        public TimeSpan LongestBeforeKill { get; private set; }

        /// <summary>SIGKILLs <paramref name="osd"/>; the clock starts as the signal is sent.</summary>
        public Task KillAsync(CephCluster cluster, int osd)
        {
            _killedAt = _clock.Elapsed;
            return cluster.KillOsdAsync(osd);
        }

        /// <summary>The operation made progress (a chunk written or read).</summary>
        public void Step()
        {
            var now = _clock.Elapsed;
            if (_killedAt is { } killed)
            {
                var since = now - (_lastStep > killed ? _lastStep : killed);
                LongestStall = since > LongestStall ? since : LongestStall;
            }
            else if (_lastStep > TimeSpan.Zero && now - _lastStep > LongestBeforeKill)
            {
                LongestBeforeKill = now - _lastStep;
            }

            _lastStep = now;
        }

        /// <summary>The operation ended (succeeded or failed).</summary>
        public void Ended()
        {
            Step();
            _endedAt = _clock.Elapsed;
        }
    }
}
