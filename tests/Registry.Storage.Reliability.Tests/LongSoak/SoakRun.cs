using System.Collections.Concurrent;
using System.Security.Cryptography;
using Registry.Storage.Conformance;

namespace Registry.Storage.Reliability.Tests.LongSoak;

/// <summary>One object the soak committed: where, how big, from which seed, and its SHA-256.</summary>
internal sealed record SoakObject(string Key, long Size, ulong Seed, byte[] Sha256);

/// <summary>What a soak run ended with, for the assertions and the report.</summary>
internal sealed record SoakOutcome(
    SoakFigures Figures,
    IReadOnlyList<MemorySampler.Sample> Memory,
    (bool Flat, string Text) MemoryVerdict,
    IReadOnlyList<string> Corrupted,
    IReadOnlyList<string> Lost,
    IReadOnlyList<string> VisibleAfterCancel,
    IReadOnlyList<string> WrongAfterFailedWrite,
    ServerLeftovers.Finding Leftovers,
    long FailedWrites);

/// <summary>
/// The long soak against one target: <see cref="SoakOptions.Workers"/> workers for the duration,
/// each writing objects of log-uniform size (streamed from a seeded generator, never held in
/// memory), cancelling or abandoning some part-way, and reading back one of its objects after
/// every write — some with the connection reset under the reader, some given up part-way — and
/// verifying and deleting its oldest object past a window. One restart of the server in the
/// middle. Afterwards every object still stored is read back and compared; cancelled and
/// abandoned writes must be invisible, failed writes absent or whole, and the server is asked
/// what uploads are left.
/// </summary>
internal static class SoakRun
{
    private const int ReadBuffer = 256 * 1024;

    public static async Task<SoakOutcome> RunAsync(ISoakTarget target, SoakOptions options, CancellationToken cancellationToken)
    {
        var figures = new SoakFigures();
        var corrupted = new ConcurrentBag<string>();
        var lost = new ConcurrentBag<string>();
        var cancelled = new ConcurrentBag<string>();
        var failed = new ConcurrentBag<(string Name, long Size, ulong Seed)>();
        var live = new ConcurrentDictionary<int, Queue<SoakObject>>();
        var end = figures.Elapsed + options.Duration;

        await using var memory = MemorySampler.Start(target.ServerResidentBytes);
        var restart = RestartInTheMiddleAsync(target, options, figures, cancellationToken);
        using var stopProgress = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var progress = ReportProgressAsync(figures, end, stopProgress.Token);
        // The end of the run interrupts what is in flight (a 256 MiB write of one of 32 workers can
        // take minutes): an interrupted write must leave nothing or the whole object, like a failed one.
        using var endOfRun = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        endOfRun.CancelAfter(options.Duration);
        await Parallel.ForEachAsync(Enumerable.Range(0, options.Workers), new ParallelOptions { MaxDegreeOfParallelism = options.Workers }, async (worker, _) =>
        {
            var ct = endOfRun.Token;
            var random = new Random(worker * 7919 + Environment.TickCount);
            var window = live.GetOrAdd(worker, _ => new Queue<SoakObject>());
            for (var i = 0; figures.Elapsed < end; i++)
            {
                var name = $"/soak/w{worker:D2}/{i:D6}";
                var size = options.DrawSize(random);
                var seed = (ulong)random.NextInt64();
                var draw = random.NextDouble();
                var ending = draw < options.CancelRate ? WriteEnding.Cancel : draw < options.CancelRate + options.AbandonRate ? WriteEnding.Abandon : WriteEnding.Commit;
                var began = figures.Elapsed;
                try
                {
                    using var bound = Bound(options, size, ct);
                    var (key, sha256) = await target.WriteAsync(name, size, seed, ending, ending == WriteEnding.Commit ? size : random.NextInt64(size + 1), bound.Token).ConfigureAwait(false);
                    if (ending == WriteEnding.Commit)
                    {
                        window.Enqueue(new SoakObject(key, size, seed, sha256));
                        figures.Add("writes committed");
                        figures.Add("bytes committed", size);
                    }
                    else
                    {
                        cancelled.Add(key);
                        figures.Add(ending == WriteEnding.Cancel ? "writes cancelled part-way" : "writes abandoned part-way (token)");
                    }
                }
                catch (Exception) when (ct.IsCancellationRequested)
                {
                    failed.Add((name, size, seed));
                    figures.Add("writes interrupted by the end of the run");
                    break;
                }
                catch (Exception e)
                {
                    failed.Add((name, size, seed));
                    figures.Failed("write", began, e);
                    await Task.Delay(TimeSpan.FromMilliseconds(500), CancellationToken.None).ConfigureAwait(false); // a server that is down is not hammered
                }

                if (window.Count > 0)
                {
                    var target1 = window.ElementAt(random.Next(window.Count));
                    await ReadBackAsync(target, target1, ReadKind(random, options, target, target1.Size), options, figures, corrupted, lost, ct).ConfigureAwait(false);
                }

                if (window.Count > options.WindowPerWorker)
                {
                    var oldest = window.Dequeue();
                    await ReadBackAsync(target, oldest, ReadMode.Whole, options, figures, corrupted, lost, ct).ConfigureAwait(false);
                    var deleteBegan = figures.Elapsed;
                    try
                    {
                        using var bound = Bound(options, 0, ct);
                        await target.DeleteAsync(oldest.Key, bound.Token).ConfigureAwait(false);
                        figures.Add("deletes");
                    }
                    catch (Exception) when (ct.IsCancellationRequested)
                    {
                        // the end of the run interrupted the delete: the object may be gone or not (verified before)
                        figures.Add("deletes interrupted by the end of the run");
                    }
                    catch (Exception e)
                    {
                        figures.Failed("delete", deleteBegan, e);
                    }
                }
            }
        }).ConfigureAwait(false);
        await restart.ConfigureAwait(false);
        await stopProgress.CancelAsync().ConfigureAwait(false);
        await progress.ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
        await memory.StopAsync().ConfigureAwait(false);

        // Afterwards: every object still stored, whole; cancels invisible; failed writes absent or whole.
        using var finalBound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        finalBound.CancelAfter(TimeSpan.FromMinutes(20));
        cancellationToken = finalBound.Token;
        foreach (var obj in live.Values.SelectMany(q => q))
        {
            await VerifyAsync(target, obj, figures, corrupted, lost, cancellationToken).ConfigureAwait(false);
        }

        var visible = new List<string>();
        foreach (var key in cancelled)
        {
            if (await target.ExistsAsync(key, cancellationToken).ConfigureAwait(false))
            {
                visible.Add(key);
            }
        }

        var wrong = new List<string>();
        foreach (var (name, size, seed) in failed)
        {
            var sha = await ContentSha256Async(size, seed, cancellationToken).ConfigureAwait(false);
            var key = target.KeyOf(name, sha);
            if (!await target.ExistsAsync(key, cancellationToken).ConfigureAwait(false))
            {
                figures.Add("failed writes absent afterwards");
                continue;
            }

            // The server committed it and the answer was lost: then it must be whole.
            figures.Add("failed writes committed (the answer was lost)");
            await using var stream = await target.OpenReadAsync(key, cancellationToken).ConfigureAwait(false);
            var (length, read) = await StreamChecks.HashAsync(stream, cancellationToken).ConfigureAwait(false);
            if (length != size || !read.AsSpan().SequenceEqual(sha))
            {
                wrong.Add($"{key}: {length} bytes, expected {size}");
            }
        }

        var leftovers = await target.LeftoversAsync([.. cancelled], cancellationToken).ConfigureAwait(false);
        return new SoakOutcome(figures, memory.Samples, memory.Verdict(), [.. corrupted], [.. lost], visible, wrong, leftovers, failed.Count);
    }

    private enum ReadMode
    {
        Whole,
        DroppedConnection,
        GiveUp,
    }

    private static ReadMode ReadKind(Random random, SoakOptions options, ISoakTarget target, long size)
    {
        var draw = random.NextDouble();
        if (size > 2 * ReadBuffer && target.CanDropConnections && draw < options.DropRate)
        {
            return ReadMode.DroppedConnection;
        }

        return draw > 1 - options.GiveUpRate && size > ReadBuffer ? ReadMode.GiveUp : ReadMode.Whole;
    }

    private static async Task ReadBackAsync(ISoakTarget target, SoakObject obj, ReadMode mode, SoakOptions options, SoakFigures figures, ConcurrentBag<string> corrupted, ConcurrentBag<string> lost, CancellationToken outer)
    {
        var began = figures.Elapsed;
        using var bound = Bound(options, obj.Size, outer);
        var ct = bound.Token;
        try
        {
            if (mode == ReadMode.DroppedConnection)
            {
                target.DropNextRead(obj.Key, Random.Shared.NextInt64(ReadBuffer, obj.Size));
            }

            await using var stream = await target.OpenReadAsync(obj.Key, ct).ConfigureAwait(false);
            if (mode == ReadMode.GiveUp)
            {
                var buffer = new byte[ReadBuffer];
                var read = await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, ct).ConfigureAwait(false);
                figures.Add("reads given up part-way");
                figures.Add("bytes read", read);
                return;
            }

            var (length, sha) = await StreamChecks.HashAsync(stream, ct).ConfigureAwait(false);
            figures.Add("bytes read", length);
            if (length != obj.Size || !sha.AsSpan().SequenceEqual(obj.Sha256))
            {
                corrupted.Add($"{obj.Key}: read {length} bytes, expected {obj.Size}, SHA-256 {(sha.AsSpan().SequenceEqual(obj.Sha256) ? "equal" : "different")} ({mode})");
                return;
            }

            figures.Add(mode == ReadMode.DroppedConnection ? "reads verified through a reset connection" : "reads verified");
        }
        catch (PathNotFoundException)
        {
            lost.Add(obj.Key);
        }
        catch (Exception) when (outer.IsCancellationRequested)
        {
            // the end of the run interrupted the read
        }
        catch (Exception e)
        {
            figures.Failed(mode == ReadMode.DroppedConnection ? "read (connection reset)" : "read", began, e);
        }
    }

    // The final check: failures are retried (the run is over, the server is up) so a transient
    // error does not hide a lost or corrupted object.
    private static async Task VerifyAsync(ISoakTarget target, SoakObject obj, SoakFigures figures, ConcurrentBag<string> corrupted, ConcurrentBag<string> lost, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var stream = await target.OpenReadAsync(obj.Key, ct).ConfigureAwait(false);
                var (length, sha) = await StreamChecks.HashAsync(stream, ct).ConfigureAwait(false);
                if (length != obj.Size || !sha.AsSpan().SequenceEqual(obj.Sha256))
                {
                    corrupted.Add($"{obj.Key}: {length} bytes, expected {obj.Size} (final check)");
                }
                else
                {
                    figures.Add("objects verified at the end");
                }

                return;
            }
            catch (PathNotFoundException)
            {
                lost.Add(obj.Key);
                return;
            }
            catch (Exception) when (attempt < 3 && !ct.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromSeconds(2), ct).ConfigureAwait(false);
            }
        }
    }

    // An operation that hangs is counted as failed (OperationCanceledException) instead of stalling
    // the soak: OperationBound, plus the object's size at 64 KiB/s (32 workers share the server).
    private static CancellationTokenSource Bound(SoakOptions options, long size, CancellationToken ct)
    {
        var bound = CancellationTokenSource.CreateLinkedTokenSource(ct);
        bound.CancelAfter(options.OperationBound + TimeSpan.FromSeconds(size / (64.0 * 1024)));
        return bound;
    }

    private static async Task ReportProgressAsync(SoakFigures figures, TimeSpan end, CancellationToken ct)
    {
        while (figures.Elapsed < end && !ct.IsCancellationRequested)
        {
            await Task.Delay(TimeSpan.FromSeconds(30), ct).ConfigureAwait(false);
            var c = figures.Counts;
            TestContext.Progress.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"  {figures.Elapsed.TotalMinutes:0.0} min: {c.GetValueOrDefault("writes committed")} committed ({c.GetValueOrDefault("bytes committed") >> 20} MiB), {c.GetValueOrDefault("reads verified") + c.GetValueOrDefault("reads verified through a reset connection")} reads verified, {figures.Errors.Values.Sum()} errors"));
        }
    }

    private static async Task RestartInTheMiddleAsync(ISoakTarget target, SoakOptions options, SoakFigures figures, CancellationToken ct)
    {
        await Task.Delay(options.Duration * options.RestartAt, ct).ConfigureAwait(false);
        var from = figures.Elapsed;
        figures.RestartBegins();
        await target.RestartAsync(ct).ConfigureAwait(false);
        figures.RestartWindow(from, figures.Elapsed);
    }

    private static async Task<byte[]> ContentSha256Async(long size, ulong seed, CancellationToken ct)
    {
        await using var source = new SeededRandomStream(size, seed);
        return (await StreamChecks.HashAsync(source, ct).ConfigureAwait(false)).Sha256;
    }
}
