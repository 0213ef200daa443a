using System.Diagnostics;
using System.Security.Cryptography;

namespace Registry.Storage.Reliability.Tests;

/// <summary>
/// Network faults between each network driver and its real server, injected by a
/// <see cref="FaultProxy"/>: transient faults on safe requests are retried and the operation
/// returns the exact bytes (SHA-256); a lost commit is surfaced as a StorageDriverException
/// naming the driver and nothing ever appears at the path (Elasticsearch's repository-analysis
/// check); stalls end with the caller's token; a failure is never reported as success.
/// </summary>
[TestFixture]
public sealed class NetworkFaultTests
{
    private const int BlobSize = 3 * 1024 * 1024 + 777;

    /// <summary>Each driver's part (segment, block) upload request.</summary>
    private static readonly Dictionary<string, Func<string, bool>> PartRequest = new()
    {
        ["s3"] = line => line.StartsWith("PUT ", StringComparison.Ordinal) && line.Contains("partNumber=", StringComparison.Ordinal),
        ["swift"] = line => line.StartsWith("PUT ", StringComparison.Ordinal) && line.Contains("/segments/", StringComparison.Ordinal),
        ["azure"] = line => line.StartsWith("PUT ", StringComparison.Ordinal) && line.Contains("comp=block&", StringComparison.Ordinal),
        ["oss"] = line => line.StartsWith("PUT ", StringComparison.Ordinal) && line.Contains("partNumber=", StringComparison.Ordinal),
    };

    [TestCase("s3"), TestCase("swift"), TestCase("azure"), TestCase("oss")]
    [CancelAfter(90_000)]
    public async Task AGetResetMidResponseIsRetriedAndReturnsTheExactBytes(string name, CancellationToken cancellationToken)
    {
        await using var d = await ProxiedDriver.CreateAsync(name, cancellationToken);
        var content = RandomBytes(BlobSize);
        await d.Direct.PutContentAsync("/reset/blob", content, cancellationToken);

        d.Proxy.AddRule(new FaultRule("reset the GET after 256 KiB", IsGetOf("/reset/blob"), FaultAction.ResetResponseAfter, times: 1) { Bytes = 256 * 1024 });
        var read = await d.Driver.GetContentAsync("/reset/blob", cancellationToken);

        d.Proxy.Faults.ShouldBe(1, "the proxy reset the first GET mid-response");
        Sha(read).ShouldBe(Sha(content), "GetContent retried and returned the exact bytes");
        Report(d, "GetContent with its response reset after 256 KiB: retried, exact bytes");
    }

    [TestCase("s3"), TestCase("swift"), TestCase("azure"), TestCase("oss")]
    [CancelAfter(90_000)]
    public async Task AStreamedReadResetMidResponseEitherResumesWithTheExactBytesOrFailsNamingTheDriver(string name, CancellationToken cancellationToken)
    {
        await using var d = await ProxiedDriver.CreateAsync(name, cancellationToken);
        var content = RandomBytes(BlobSize);
        await d.Direct.PutContentAsync("/reset/stream", content, cancellationToken);

        d.Proxy.AddRule(new FaultRule("reset the GET after 1 MiB", IsGetOf("/reset/stream"), FaultAction.ResetResponseAfter, times: 1) { Bytes = 1024 * 1024 });
        string outcome;
        try
        {
            await using var stream = await d.Driver.ReaderAsync("/reset/stream", 0, cancellationToken);
            var digest = await SHA256.HashDataAsync(stream, cancellationToken);
            // A stream that ended early or returned other bytes would be a failure reported as success.
            Convert.ToHexString(digest).ShouldBe(Sha(content), "a streamed read that completes returns exactly the object");
            outcome = "resumed, exact bytes";
        }
        catch (StorageDriverException e)
        {
            e.DriverName.ShouldBe(name, "the failure names the driver");
            outcome = $"failed loudly ({e.GetType().Name}: {e.Message})";
        }

        d.Proxy.Faults.ShouldBe(1);
        Report(d, $"Reader with its response reset after 1 MiB: {outcome}");
    }

    [TestCase("s3"), TestCase("azure"), TestCase("oss"), TestCase("swift")]
    [CancelAfter(90_000)]
    public async Task AStreamedReadResetMidResponseResumesWithTheExactBytes(string name, CancellationToken cancellationToken)
    {
        await using var d = await ProxiedDriver.CreateAsync(name, cancellationToken);
        var content = RandomBytes(BlobSize);
        await d.Direct.PutContentAsync("/reset/resumed", content, cancellationToken);
        d.Proxy.AddRule(new FaultRule("reset the GET after 1 MiB", IsGetOf("/reset/resumed"), FaultAction.ResetResponseAfter, times: 2) { Bytes = 1024 * 1024 });

        await using var stream = await d.Driver.ReaderAsync("/reset/resumed", 0, cancellationToken);
        var digest = await SHA256.HashDataAsync(stream, cancellationToken);

        d.Proxy.Faults.ShouldBe(2, "the first GET and the first resumed GET were both reset");
        Convert.ToHexString(digest).ShouldBe(Sha(content), "the reader resumed where the body broke off, twice, and returned exactly the object");
        Report(d, "Reader with its response reset after 1 MiB, and its resumption reset again: resumed, exact bytes");
    }

    [TestCase("s3"), TestCase("oss")]
    [CancelAfter(90_000)]
    public async Task AReadResumedAfterTheObjectWasReplacedFailsInsteadOfSplicingTwoVersions(string name, CancellationToken cancellationToken)
    {
        await using var d = await ProxiedDriver.CreateAsync(name, cancellationToken);
        await d.Direct.PutContentAsync("/reset/replaced", RandomBytes(BlobSize), cancellationToken);
        d.Proxy.AddRule(new FaultRule("reset the GET after 1 MiB", IsGetOf("/reset/replaced"), FaultAction.ResetResponseAfter, times: 1) { Bytes = 1024 * 1024 });
        // At 512 KiB/s the reset comes about 2 s in: after the object below has been replaced,
        // so the reader has to resume against the new version.
        d.Proxy.Throttle(512 * 1024);

        await using var stream = await d.Driver.ReaderAsync("/reset/replaced", 0, cancellationToken);
        var head = new byte[256 * 1024];
        await stream.ReadExactlyAsync(head, cancellationToken);
        await d.Direct.PutContentAsync("/reset/replaced", RandomBytes(BlobSize), cancellationToken);

        var error = await Should.ThrowAsync<StorageDriverException>(async () => await stream.CopyToAsync(Stream.Null, cancellationToken));
        error.DriverName.ShouldBe(name);
        error.Path.ShouldBe("/reset/replaced");
        error.Message.ShouldContain("replaced while it was being read");
        d.Proxy.Faults.ShouldBe(1);
        Report(d, "Reader reset after the object was replaced: the ETag-pinned resume failed naming the path, no spliced content");
    }

    [TestCase("s3"), TestCase("swift"), TestCase("azure"), TestCase("oss")]
    [CancelAfter(90_000)]
    public async Task AConnectionRefusedForAMomentIsRetriedAndTheWriteLands(string name, CancellationToken cancellationToken)
    {
        await using var d = await ProxiedDriver.CreateAsync(name, cancellationToken);
        var content = RandomBytes(100 * 1024);

        d.Proxy.Refuse();
        // Short enough that every client's retry schedule outlasts it: the AWS SDK's standard mode
        // draws each backoff at random (up to 0.2, 0.4, 0.8 … s), and once in a CI run its five
        // retries all fell inside the 600 ms this used to be.
        var refusedFor = TimeSpan.FromMilliseconds(300);
        var resumed = ResumeAfterAsync(d.Proxy, refusedFor, cancellationToken);
        await d.Driver.PutContentAsync("/refused/blob", content, cancellationToken);

        resumed.IsCompleted.ShouldBeTrue("the write could not land while the proxy refused connections");
        Sha(await d.Direct.GetContentAsync("/refused/blob", cancellationToken)).ShouldBe(Sha(content), "the server holds the exact bytes");
        Sha(await d.Driver.GetContentAsync("/refused/blob", cancellationToken)).ShouldBe(Sha(content));
        Report(d, $"PutContent while connections were refused for {refusedFor.TotalMilliseconds} ms: retried, exact bytes");
    }

    [TestCase("s3"), TestCase("swift"), TestCase("azure"), TestCase("oss")]
    [CancelAfter(120_000)]
    public async Task APartUploadResetOnceIsRetriedAndTheCommittedBytesAreExact(string name, CancellationToken cancellationToken)
    {
        await using var d = await ProxiedDriver.CreateAsync(name, cancellationToken);
        d.Proxy.AddRule(new FaultRule("reset the first part upload", PartRequest[name], FaultAction.ResetOnRequest, times: 1));
        var content = RandomBytes(ProxiedDriver.MultipartSize);

        await WriteAsync(d.Driver, "/part/blob", content, commit: true, cancellationToken);

        d.Proxy.Faults.ShouldBe(1, "the proxy reset one part upload");
        Sha(await d.Direct.GetContentAsync("/part/blob", cancellationToken)).ShouldBe(Sha(content), "the committed object is exact");
        Report(d, "part upload reset before reaching the server: retried, committed bytes exact");
    }

    [TestCase("s3"), TestCase("swift"), TestCase("azure"), TestCase("oss")]
    [CancelAfter(120_000)]
    public async Task ACommitThatNeverReachesTheServerFailsNamingTheDriverAndNothingEverAppears(string name, CancellationToken cancellationToken)
    {
        await using var d = await ProxiedDriver.CreateAsync(name, cancellationToken);
        d.Proxy.AddRule(new FaultRule("reset every commit request", ProxiedDriver.CommitRequest[name], FaultAction.ResetOnRequest));
        var content = RandomBytes(ProxiedDriver.MultipartSize);

        var error = await Should.ThrowAsync<StorageDriverException>(() => WriteAsync(d.Driver, "/commit/blob", content, commit: true, cancellationToken));

        error.DriverName.ShouldBe(name);
        d.Proxy.Faults.ShouldBeGreaterThanOrEqualTo(1, "the commit request was sent (and dropped)");
        d.Proxy.ClearRules();
        await NothingAtAsync(d, "/commit/blob", cancellationToken);
        Report(d, $"commit request dropped {d.Proxy.Faults} time(s) (driver retries included): Commit failed ({error.Message}); nothing at the path, also for a fresh driver");
    }

    [TestCase("s3"), TestCase("swift"), TestCase("azure"), TestCase("oss")]
    [CancelAfter(120_000)]
    public async Task ACommitDroppedOnceEitherLandsExactlyOrFailsWithNothingAtThePath(string name, CancellationToken cancellationToken)
    {
        await using var d = await ProxiedDriver.CreateAsync(name, cancellationToken);
        d.Proxy.AddRule(new FaultRule("reset the first commit request", ProxiedDriver.CommitRequest[name], FaultAction.ResetOnRequest, times: 1));
        var content = RandomBytes(ProxiedDriver.MultipartSize);

        var outcome = await CommitOutcomeAsync(d, "/commit-once/blob", content, cancellationToken);

        d.Proxy.Faults.ShouldBe(1);
        Report(d, $"first commit request dropped: {outcome}");
    }

    [TestCase("s3"), TestCase("swift"), TestCase("azure"), TestCase("oss")]
    [CancelAfter(120_000)]
    public async Task ACancelAfterACommitWhoseAnswersWereLostLeavesTheWholeContentOrNothing(string name, CancellationToken cancellationToken)
    {
        // The server receives and applies every commit request; no answer ever reaches the driver.
        // The client then cancels, as a client does after a failed commit: the cancel must not take
        // away what the commit published (the long soak found rados doing so; swift did likewise).
        await using var d = await ProxiedDriver.CreateAsync(name, cancellationToken);
        var content = RandomBytes(ProxiedDriver.MultipartSize);
        const string path = "/lost-answer/blob";
        var cancelled = await CommitWithLostAnswersThenCancelAsync(d, path, content, cancellationToken);

        string outcome;
        try
        {
            await d.Direct.StatAsync(path, cancellationToken);
            Sha(await d.Direct.GetContentAsync(path, cancellationToken)).ShouldBe(Sha(content), "what the commit published is whole after the cancel");
            outcome = "the published content is whole";
        }
        catch (PathNotFoundException)
        {
            await NothingAtAsync(d, path, cancellationToken);
            outcome = "nothing at the path";
        }

        d.Proxy.Faults.ShouldBeGreaterThanOrEqualTo(1, "the commit's answer was lost");
        Report(d, $"commit answered {d.Proxy.Faults} time(s) by a reset; {cancelled}; {outcome}");
    }

    [TestCase("s3"), TestCase("swift")]
    [CancelAfter(120_000)]
    public async Task AfterACommitWhoseOutcomeIsUnknownNeitherTheCommitNorACancelRemovesTheUploadsData(string name, CancellationToken cancellationToken)
    {
        // The server may still be applying a commit whose answer never came (the long soak cut
        // commits short at the end of its run): an abort or a segment delete racing it left RGW
        // with an object HEAD finds and GET cannot read, and Swift with a manifest without its
        // segments. So neither the failed commit nor a cancel after it may send one; the upload
        // stays for ListUploads and purging.
        await using var d = await ProxiedDriver.CreateAsync(name, cancellationToken);
        var content = RandomBytes(ProxiedDriver.MultipartSize);
        const string path = "/unknown-outcome/blob";
        (await CommitWithLostAnswersThenCancelAsync(d, path, content, cancellationToken)).ShouldBe("Cancel succeeded");

        Func<string, bool> removesData = name == "s3"
            ? line => line.StartsWith("DELETE ", StringComparison.Ordinal) && line.Contains("uploadId=", StringComparison.Ordinal)
            : line => (line.StartsWith("DELETE ", StringComparison.Ordinal) && line.Contains("/segments/", StringComparison.Ordinal)) || line.Contains("bulk-delete", StringComparison.Ordinal);
        d.Proxy.RequestLines.Where(removesData).ShouldBeEmpty($"requests after the commit went out: {string.Join("; ", d.Proxy.RequestLines)}");
        Sha(await d.Direct.GetContentAsync(path, cancellationToken)).ShouldBe(Sha(content), "every commit request reached the server: the object is whole");
        Report(d, $"commit answers reset {d.Proxy.Faults} time(s); no abort or segment delete sent by the commit or the cancel; the object whole");
    }

    [Test, CancelAfter(120_000)]
    public async Task S3CompleteMultipartUploadAnswered200WithAnErrorBodyIsNeverReportedAsSuccess(CancellationToken cancellationToken)
    {
        await using var d = await ProxiedDriver.CreateAsync("s3", cancellationToken);
        d.Proxy.AddRule(new FaultRule("200 OK with <Error>", ProxiedDriver.CommitRequest["s3"], FaultAction.Answer) { Answer = InternalErrorIn200 });
        var content = RandomBytes(ProxiedDriver.MultipartSize);

        var error = await Should.ThrowAsync<StorageDriverException>(() => WriteAsync(d.Driver, "/complete200/blob", content, commit: true, cancellationToken));

        error.DriverName.ShouldBe("s3");
        d.Proxy.ClearRules();
        await NothingAtAsync(d, "/complete200/blob", cancellationToken);
        Report(d, $"CompleteMultipartUpload answered 200 + <Error>InternalError {d.Proxy.Faults} time(s): Commit failed ({error.Message}); nothing at the path");
    }

    [Test, CancelAfter(120_000)]
    public async Task S3CompleteMultipartUploadAnswered200WithAnErrorOnceIsRetriedOrFailsWithNothingAtThePath(CancellationToken cancellationToken)
    {
        await using var d = await ProxiedDriver.CreateAsync("s3", cancellationToken);
        d.Proxy.AddRule(new FaultRule("200 OK with <Error> once", ProxiedDriver.CommitRequest["s3"], FaultAction.Answer, times: 1) { Answer = InternalErrorIn200 });
        var content = RandomBytes(ProxiedDriver.MultipartSize);

        var outcome = await CommitOutcomeAsync(d, "/complete200-once/blob", content, cancellationToken);

        d.Proxy.Faults.ShouldBe(1);
        Report(d, $"CompleteMultipartUpload answered 200 + <Error> once: {outcome}");
    }

    [TestCase("s3"), TestCase("swift"), TestCase("azure"), TestCase("oss")]
    [CancelAfter(60_000)]
    public async Task AStalledServerIsBoundedByTheCallersTokenAndNeverReportsSuccess(string name, CancellationToken cancellationToken)
    {
        await using var d = await ProxiedDriver.CreateAsync(name, cancellationToken);
        await d.Direct.PutContentAsync("/stall/blob", RandomBytes(1024), cancellationToken);
        var budget = TimeSpan.FromSeconds(3);

        d.Proxy.Stall();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(budget);
        var clock = Stopwatch.StartNew();
        var error = await Should.ThrowAsync<Exception>(() => d.Driver.GetContentAsync("/stall/blob", deadline.Token));
        clock.Stop();

        (error is OperationCanceledException || error is StorageDriverException s && s.DriverName == name).ShouldBeTrue($"a stalled read ends in cancellation or a named error, not {error}");
        clock.Elapsed.ShouldBeLessThan(budget + TimeSpan.FromSeconds(5), "the operation gave up soon after the caller's deadline");
        Report(d, $"GetContent against a server that accepts and answers nothing: {error.GetType().Name} after {clock.Elapsed.TotalSeconds:F1} s (deadline {budget.TotalSeconds} s)");
    }

    [TestCase("s3"), TestCase("swift"), TestCase("azure"), TestCase("oss")]
    [CancelAfter(60_000)]
    public async Task AStallForAWhileDelaysTheReadButReturnsTheExactBytes(string name, CancellationToken cancellationToken)
    {
        await using var d = await ProxiedDriver.CreateAsync(name, cancellationToken);
        var content = RandomBytes(256 * 1024);
        await d.Direct.PutContentAsync("/stall/blob", content, cancellationToken);
        var stall = TimeSpan.FromSeconds(2);

        d.Proxy.Stall();
        var resumed = ResumeAfterAsync(d.Proxy, stall, cancellationToken);
        var read = await d.Driver.GetContentAsync("/stall/blob", cancellationToken);

        resumed.IsCompleted.ShouldBeTrue("the read could not complete while the proxy stalled");
        Sha(read).ShouldBe(Sha(content));
        Report(d, $"GetContent stalled for {stall.TotalSeconds} s: exact bytes afterwards");
    }

    [TestCase("s3"), TestCase("swift"), TestCase("azure"), TestCase("oss")]
    [CancelAfter(90_000)]
    public async Task ASlowLinkStillDeliversTheExactBytesBothWays(string name, CancellationToken cancellationToken)
    {
        await using var d = await ProxiedDriver.CreateAsync(name, cancellationToken);
        var content = RandomBytes(1024 * 1024 + 5);
        const long rate = 1024 * 1024;

        d.Proxy.Throttle(rate);
        var clock = Stopwatch.StartNew();
        await WriteAsync(d.Driver, "/slow/blob", content, commit: true, cancellationToken);
        var read = await d.Driver.GetContentAsync("/slow/blob", cancellationToken);
        clock.Stop();

        Sha(read).ShouldBe(Sha(content));
        Sha(await d.Direct.GetContentAsync("/slow/blob", cancellationToken)).ShouldBe(Sha(content));
        clock.Elapsed.ShouldBeGreaterThan(TimeSpan.FromSeconds(1.5), "2 MiB went through a 1 MiB/s link");
        Report(d, $"1 MiB written and read through a {rate / 1024} KiB/s link in {clock.Elapsed.TotalSeconds:F1} s: exact bytes");
    }

    private static readonly byte[] InternalErrorIn200 = FaultRule.HttpAnswer("200 OK",
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>InternalError</Code><Message>We encountered an internal error. Please try again.</Message>" +
        "<RequestId>656c76696e6727732072657175657374</RequestId><HostId>Uuag1LuByRx9e6j5Onimru9pO4ZVKnJ2Qz7/C1NPcfTWAtRPfTaOFg==</HostId></Error>");

    // Either the commit succeeded and the exact bytes are there, or it failed naming the driver and nothing is there.
    private static async Task<string> CommitOutcomeAsync(ProxiedDriver d, string path, byte[] content, CancellationToken cancellationToken)
    {
        try
        {
            await WriteAsync(d.Driver, path, content, commit: true, cancellationToken);
        }
        catch (StorageDriverException e)
        {
            e.DriverName.ShouldBe(d.Name);
            d.Proxy.ClearRules();
            await NothingAtAsync(d, path, cancellationToken);
            return $"Commit failed ({e.Message}); nothing at the path";
        }

        Sha(await d.Direct.GetContentAsync(path, cancellationToken)).ShouldBe(Sha(content), "a commit reported as success holds the exact bytes");
        return "Commit retried and succeeded; exact bytes at the path";
    }

    // Writes a multipart-sized object and commits it while the proxy resets every commit's answer
    // (the server gets and applies each request), then cancels as a client does after a failed
    // commit. The proxy's request lines start at the commit. Returns how the cancel went.
    private static async Task<string> CommitWithLostAnswersThenCancelAsync(ProxiedDriver d, string path, byte[] content, CancellationToken cancellationToken)
    {
        d.Proxy.AddRule(new FaultRule("reset every commit's answer", ProxiedDriver.CommitRequest[d.Name], FaultAction.ResetResponseAfter) { Bytes = 0 });
        await using var writer = await d.Driver.WriterAsync(path, append: false, cancellationToken);
        await writer.WriteAsync(content, cancellationToken);
        d.Proxy.RequestLines.Clear();
        var error = await Should.ThrowAsync<StorageDriverException>(() => writer.CommitAsync(cancellationToken));
        error.DriverName.ShouldBe(d.Name);
        d.Proxy.ClearRules();
        try
        {
            await writer.CancelAsync(cancellationToken);
            return "Cancel succeeded";
        }
        catch (StorageDriverException e)
        {
            return $"Cancel failed ({e.Message})";
        }
    }

    private static async Task NothingAtAsync(ProxiedDriver d, string path, CancellationToken cancellationToken)
    {
        await Should.ThrowAsync<PathNotFoundException>(() => d.Driver.StatAsync(path, cancellationToken), "nothing at the path after a failed commit");
        await Should.ThrowAsync<PathNotFoundException>(() => d.Direct.StatAsync(path, cancellationToken), "nothing on the server");
        var fresh = await Drivers.CreateAsync(d.Name, d.DirectParameters, cancellationToken);
        try
        {
            await Should.ThrowAsync<PathNotFoundException>(() => fresh.StatAsync(path, cancellationToken), "nothing for a fresh driver instance either");
            await Should.ThrowAsync<PathNotFoundException>(() => fresh.GetContentAsync(path, cancellationToken));
        }
        finally
        {
            (fresh as IDisposable)?.Dispose();
        }
    }

    private static async Task WriteAsync(IStorageDriver driver, string path, byte[] content, bool commit, CancellationToken cancellationToken)
    {
        await using var writer = await driver.WriterAsync(path, append: false, cancellationToken);
        for (var offset = 0; offset < content.Length; offset += 256 * 1024)
        {
            await writer.WriteAsync(content.AsMemory(offset, Math.Min(256 * 1024, content.Length - offset)), cancellationToken);
        }

        if (commit)
        {
            await writer.CommitAsync(cancellationToken);
        }
    }

    private static async Task ResumeAfterAsync(FaultProxy proxy, TimeSpan delay, CancellationToken cancellationToken)
    {
        // The fault's duration, not a synchronisation: the proxy misbehaves for this long.
        await Task.Delay(delay, cancellationToken);
        proxy.Resume();
    }

    private static Func<string, bool> IsGetOf(string path) =>
        line => line.StartsWith("GET ", StringComparison.Ordinal) && line.Contains(path, StringComparison.Ordinal);

    private static byte[] RandomBytes(int size)
    {
        var bytes = new byte[size];
        Random.Shared.NextBytes(bytes);
        return bytes;
    }

    private static string Sha(byte[] bytes) => Convert.ToHexString(SHA256.HashData(bytes));

    private static void Report(ProxiedDriver d, string what) =>
        TestContext.Out.WriteLine($"{d.Name}: {what}; {d.Proxy.Faults} fault(s) injected, {d.Proxy.Requests} requests through the proxy");
}
