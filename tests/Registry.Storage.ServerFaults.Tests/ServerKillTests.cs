using System.Diagnostics;
using System.Security.Cryptography;
using Registry.Storage.Conformance;
using TestDrivers = Registry.Storage.Reliability.Tests.Drivers;

namespace Registry.Storage.ServerFaults.Tests;

/// <summary>
/// Kills the real server daemon (radosgw for s3, the Swift proxy for swift, Azurite for azure)
/// with SIGKILL in the middle of an operation, then restarts it with the same configuration:
/// the operation ends within a bound with a named error or succeeds, nothing half-done is
/// visible, data committed before the kill is intact, and the work can be finished after the
/// restart. Every test restarts its daemon in a finally, so later test projects find it healthy.
/// </summary>
[TestFixture, NonParallelizable]
public sealed class ServerKillTests
{
    private const long Committed = 8L << 20;
    private static readonly TimeSpan TestBound = TimeSpan.FromMinutes(8);

    /// <summary>The large write's size: 256 MiB, or REGSTORE_FAULTS_WRITE_SIZE (e.g. 64MB) for quick runs.</summary>
    private static long WriteSize =>
        ByteSize.TryParse(Environment.GetEnvironmentVariable("REGSTORE_FAULTS_WRITE_SIZE"), out var size) ? size : 256L << 20;

    private static IEnumerable<ServerDaemon> Daemons => ServerDaemon.All;

    [OneTimeTearDown]
    public async Task EveryDaemonIsRunningAgain()
    {
        // Belt and braces after the per-test finally blocks: later test projects use these servers.
        foreach (var daemon in ServerDaemon.All.Where(d => ConformanceEnvironment.ParametersFor(d.Driver) is not null))
        {
            await daemon.StartAsync();
        }
    }

    [TestCaseSource(nameof(Daemons))]
    public async Task AKillDuringALargeWriteFailsNamedLeavesNothingVisibleAndTheWriteCompletesAfterRestart(ServerDaemon daemon)
    {
        await RunAsync(daemon, "write", async (driver, parameters, ct) =>
        {
            var size = WriteSize;
            var committedSha = await Content.Sha256Async(Committed, 1, ct);
            var expectedSha = await Content.Sha256Async(size, 2, ct);
            await Content.WriteAsync(driver, "/committed", Committed, 1, daemon.ChunkSize, ct);
            await daemon.CommittedSurvivesAKillAsync();

            // Stream the seeded content in the driver's chunk size; the daemon dies once half is written.
            var killAfter = size / 2;
            long writtenAtKill = -1;
            var sinceKill = new Stopwatch();
            var writer = await driver.WriterAsync("/big", append: false, ct);
            async Task WriteAndCommitAsync()
            {
                using var source = new SeededRandomStream(size, 2);
                var buffer = new byte[daemon.ChunkSize];
                long written = 0;
                int read;
                while ((read = await source.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, ct)) > 0)
                {
                    await writer.WriteAsync(buffer.AsMemory(0, read), ct);
                    written += read;
                    if (writtenAtKill < 0 && written >= killAfter)
                    {
                        await daemon.KillAsync();
                        writtenAtKill = written;
                        sinceKill.Start();
                    }
                }

                await writer.CommitAsync(ct);
            }

            var (failure, elapsed) = await Content.EndsWithinBoundAsync(WriteAndCommitAsync(), daemon.Driver, "a writer's write/commit", sinceKill);
            failure.ShouldNotBeNull($"{daemon.Driver}: the write committed although its server was killed after {writtenAtKill} bytes");
            var closed = "closed";
            try
            {
                // Closing (what distribution does after a failed upload request) may itself fail: the server is down.
                await writer.DisposeAsync().AsTask().WaitAsync(Content.FailureBound, ct);
            }
            catch (StorageDriverException error)
            {
                error.DriverName.ShouldBe(daemon.Driver);
                closed = "close failed (" + error.GetType().Name + ")";
            }

            await daemon.StartAsync();
            await Should.ThrowAsync<PathNotFoundException>(() => driver.StatAsync("/big", ct));

            // Resume with append where the driver kept the upload; otherwise write afresh.
            FileWriter again;
            string outcome;
            try
            {
                again = await driver.WriterAsync("/big", append: true, ct);
                again.Size.ShouldBeLessThanOrEqualTo(size);
                outcome = $"resumed with append at {again.Size} bytes";
            }
            catch (PathNotFoundException)
            {
                again = await driver.WriterAsync("/big", append: false, ct);
                outcome = "append found nothing to resume; a fresh write";
            }

            await using (again)
            {
                using var rest = new SeededRandomStream(size, 2) { Position = again.Size };
                await rest.CopyToAsync(again, daemon.ChunkSize, ct);
                await again.CommitAsync(ct);
            }

            (await Content.StateAsync(driver, "/big", size, expectedSha, ct)).ShouldBe(Stored.Intact, "after " + outcome);
            (await Content.StateAsync(driver, "/committed", Committed, committedSha, ct)).ShouldBe(Stored.Intact);
            Report(daemon, $"write of {size} bytes: killed after {writtenAtKill} written, failed {elapsed.TotalSeconds:0.00} s later with {Describe(failure)}; {closed}; {outcome}; SHA-256 of the result and of the object committed before the kill match");
        });
    }

    [TestCaseSource(nameof(Daemons))]
    public async Task AKillDuringAReadFailsNamedOrReturnsEveryByteAndAReadAfterRestartResumes(ServerDaemon daemon)
    {
        await RunAsync(daemon, "read", async (driver, parameters, ct) =>
        {
            var size = Math.Max(WriteSize / 4, 32L << 20);
            var expectedSha = await Content.Sha256Async(size, 3, ct);
            await Content.WriteAsync(driver, "/blob", size, 3, daemon.ChunkSize, ct);
            await daemon.CommittedSurvivesAKillAsync();

            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            long read = 0;
            long readAtKill = -1;
            var sinceKill = new Stopwatch();
            var reader = await driver.ReaderAsync("/blob", 0, ct);
            async Task ReadAllAsync()
            {
                var buffer = new byte[1 << 20];
                int n;
                while ((n = await reader.ReadAsync(buffer, ct)) > 0)
                {
                    hash.AppendData(buffer, 0, n);
                    read += n;
                    if (readAtKill < 0 && read >= size / 4)
                    {
                        await daemon.KillAsync();
                        readAtKill = read;
                        sinceKill.Start();
                    }
                }
            }

            var (failure, elapsed) = await Content.EndsWithinBoundAsync(ReadAllAsync(), daemon.Driver, "a reader's read", sinceKill);
            await reader.DisposeAsync();
            string outcome;
            if (failure is null)
            {
                // Success is only allowed with every byte, correct (a driver may reconnect, never truncate).
                read.ShouldBe(size, $"{daemon.Driver}: the read ended without an error after {read} of {size} bytes");
                hash.GetHashAndReset().ShouldBe(expectedSha);
                outcome = "read every byte, SHA-256 correct";
            }
            else
            {
                await daemon.StartAsync();
                await using var resumed = await driver.ReaderAsync("/blob", read, ct);
                var buffer = new byte[1 << 20];
                int n;
                while ((n = await resumed.ReadAsync(buffer, ct)) > 0)
                {
                    hash.AppendData(buffer, 0, n);
                    read += n;
                }

                read.ShouldBe(size);
                hash.GetHashAndReset().ShouldBe(expectedSha, "the bytes read before the kill plus the resumed read are the object");
                outcome = "a reader at the offset reached resumed; SHA-256 of both parts correct";
            }

            Report(daemon, $"read of {size} bytes: killed after {readAtKill} read, ended {elapsed.TotalSeconds:0.00} s later with {Describe(failure)}; {outcome}");
        });
    }

    [TestCaseSource(nameof(Daemons))]
    public async Task AKillDuringAMoveLeavesTheSourceOrTheDestinationWholeAndAMoveAfterRestartFinishes(ServerDaemon daemon)
    {
        await RunAsync(daemon, "move", async (driver, parameters, ct) =>
        {
            // Larger than the s3 driver's multipart-copy threshold and the swift driver's chunk: a copy in parts.
            var size = Math.Max(WriteSize / 2, 96L << 20);
            var sha = await Content.Sha256Async(size, 4, ct);
            await Content.WriteAsync(driver, "/first/blob", size, 4, daemon.ChunkSize, ct);

            // An undisturbed move of the same object times the kill: it lands halfway through the next.
            var undisturbed = Stopwatch.StartNew();
            await driver.MoveAsync("/first/blob", "/src/blob", ct);
            undisturbed.Stop();
            await daemon.CommittedSurvivesAKillAsync();

            var sinceKill = new Stopwatch();
            var move = driver.MoveAsync("/src/blob", "/dst/blob", ct);
            await Task.WhenAny(move, Task.Delay(undisturbed.Elapsed / 2, ct));
            var wasDone = move.IsCompleted;
            await daemon.KillAsync();
            sinceKill.Start();
            var (failure, elapsed) = await Content.EndsWithinBoundAsync(move, daemon.Driver, "a move", sinceKill);
            await daemon.StartAsync();

            var source = await Content.StateAsync(driver, "/src/blob", size, sha, ct);
            var destination = await Content.StateAsync(driver, "/dst/blob", size, sha, ct);
            source.ShouldNotBe(Stored.Corrupt);
            destination.ShouldNotBe(Stored.Corrupt);
            (source == Stored.Intact || destination == Stored.Intact).ShouldBeTrue($"{daemon.Driver}: the move lost the object (source {source}, destination {destination})");
            if (failure is null && !daemon.SavesLater)
            {
                // (A server that saves later may roll a finished move back whole: still "before".)
                (source, destination).ShouldBe((Stored.Missing, Stored.Intact), "a move reported as done is done");
            }

            if (source == Stored.Intact)
            {
                await driver.MoveAsync("/src/blob", "/dst/blob", ct);
            }

            (await Content.StateAsync(driver, "/src/blob", size, sha, ct)).ShouldBe(Stored.Missing);
            (await Content.StateAsync(driver, "/dst/blob", size, sha, ct)).ShouldBe(Stored.Intact);
            Report(daemon, $"move of {size} bytes (undisturbed: {undisturbed.Elapsed.TotalSeconds:0.00} s): {(wasDone ? "finished before the kill" : $"killed {undisturbed.Elapsed.TotalSeconds / 2:0.00} s in")}, ended {elapsed.TotalSeconds:0.00} s after the kill with {Describe(failure)}; after restart source {source}, destination {destination}; {(source == Stored.Intact ? "a second move finished it" : "nothing left to do")}");
        });
    }

    [TestCaseSource(nameof(Daemons))]
    public async Task AKillDuringATreeDeleteLeavesEachFileGoneOrIntactAndADeleteAfterRestartFinishes(ServerDaemon daemon)
    {
        await RunAsync(daemon, "delete", async (driver, parameters, ct) =>
        {
            var files = Enumerable.Range(0, 300).Select(i => (Path: $"/tree/d{i % 10}/f{i:D3}", Seed: (ulong)(1000 + i), Length: 1024L + (i * 37 % 3072))).ToArray();
            var hashes = new Dictionary<string, byte[]>();
            foreach (var file in files)
            {
                hashes[file.Path] = await Content.Sha256Async(file.Length, file.Seed, ct);
            }

            await Parallel.ForEachAsync(files, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct }, async (file, token) =>
                await Content.WriteAsync(driver, file.Path, file.Length, file.Seed, daemon.ChunkSize, token));
            await daemon.CommittedSurvivesAKillAsync();

            // Kill once the delete has visibly started: the first file (in walk order) is gone.
            var watcher = await TestDrivers.CreateAsync(daemon.Driver, parameters, ct);
            var first = files.Select(f => f.Path).Order(StringComparer.Ordinal).First();
            var sinceKill = new Stopwatch();
            var delete = driver.DeleteAsync("/tree", ct);
            var polls = 0;
            while (!delete.IsCompleted && await Content.ExistsAsync(watcher, first, ct))
            {
                polls++;
            }

            var wasDone = delete.IsCompleted;
            await daemon.KillAsync();
            sinceKill.Start();
            var (failure, elapsed) = await Content.EndsWithinBoundAsync(delete, daemon.Driver, "a tree delete", sinceKill);
            await daemon.StartAsync();

            int gone = 0, intact = 0;
            foreach (var file in files)
            {
                var state = await Content.StateAsync(driver, file.Path, file.Length, hashes[file.Path], ct);
                state.ShouldNotBe(Stored.Corrupt, file.Path);
                _ = state == Stored.Missing ? gone++ : intact++;
            }

            if (failure is null && !daemon.SavesLater)
            {
                intact.ShouldBe(0, "a delete reported as done is done");
            }

            try
            {
                await driver.DeleteAsync("/tree", ct);
            }
            catch (PathNotFoundException) when (intact == 0)
            {
                // The first delete had removed everything before it failed.
            }

            await Should.ThrowAsync<PathNotFoundException>(() => driver.StatAsync("/tree", ct));
            foreach (var file in files)
            {
                await Should.ThrowAsync<PathNotFoundException>(() => driver.StatAsync(file.Path, ct));
            }

            Report(daemon, $"delete of a 300-file tree: {(wasDone ? "finished before the kill" : "killed in flight")} after {polls} polls, ended {elapsed.TotalSeconds:0.00} s after the kill with {Describe(failure)}; after restart {gone} gone, {intact} intact, 0 corrupt; a second delete removed the rest");
        });
    }

    /// <summary>
    /// Runs <paramref name="test"/> bounded by <see cref="TestBound"/> with a driver rooted in a
    /// fresh folder (its parameters let a test open a second driver on the same root); whatever
    /// happens, the daemon runs again afterwards and the folder is emptied.
    /// </summary>
    private static async Task RunAsync(ServerDaemon daemon, string purpose, Func<IStorageDriver, DriverParameters, CancellationToken, Task> test)
    {
        using var timeout = new CancellationTokenSource(TestBound);
        var parameters = TestDrivers.NetworkParameters(daemon.Driver, daemon.Required, TestDrivers.RunSegment("kill-" + purpose));
        var driver = await TestDrivers.CreateAsync(daemon.Driver, parameters, timeout.Token);
        try
        {
            await test(driver, parameters, timeout.Token);
        }
        finally
        {
            await daemon.StartAsync();
            try
            {
                using var cleanup = new CancellationTokenSource(TimeSpan.FromMinutes(2));
                await TestDrivers.DeleteAllAsync(driver, cleanup.Token);
            }
            catch (Exception error) when (error is StorageDriverException or OperationCanceledException)
            {
                TestContext.Progress.WriteLine($"  [{daemon.Driver}] cleanup failed: {error.Message}");
            }
        }
    }

    private static string Describe(StorageDriverException? failure) =>
        failure is null ? "success" : $"{failure.GetType().Name} \"{Shorten(failure.Message)}\"";

    private static string Shorten(string text) => text.Length <= 160 ? text : text[..160] + "…";

    private static void Report(ServerDaemon daemon, string line) => TestContext.Progress.WriteLine($"  [{daemon.Driver}] {line}");
}
