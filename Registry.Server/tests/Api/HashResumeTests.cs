using System.Diagnostics;
using System.Globalization;
using System.Net;
using Registry.Server.Tests.Infrastructure;
using static Registry.Server.Tests.Infrastructure.RegistryApi;

namespace Registry.Server.Tests.Api;

/// <summary>
/// How an upload is verified across requests: streamed digests where one request saw every
/// byte from 0, a single read-back otherwise — never the upload in memory.
/// </summary>
public sealed class HashResumeTests
{
    [Test]
    public async Task Post_one_streamed_patch_and_an_empty_put_verify_without_reading_back()
    {
        var driver = new ReadCountingDriver(RegistryHost.InMemory());
        await using var host = await RegistryHost.StartAsync(driver, new RegistryServerOptions());
        var content = RandomBytes(2_000_000, 300);
        var location = await UploadTests.StartUploadAsync(host.Client, "h");
        using (var patch = await UploadTests.PatchAsync(host.Client, location, content, null))
        {
            patch.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        }

        using var put = await UploadTests.PutAsync(host.Client, location, Sha256(content));
        put.StatusCode.ShouldBe(HttpStatusCode.Created);
        driver.UploadBytesRead.ShouldBe(0);
    }

    [Test]
    public async Task Several_chunks_are_verified_by_one_read_back_and_a_wrong_digest_still_fails()
    {
        var driver = new ReadCountingDriver(RegistryHost.InMemory());
        await using var host = await RegistryHost.StartAsync(driver, new RegistryServerOptions());
        var content = RandomBytes(2_000_000, 301);
        var location = await UploadTests.StartUploadAsync(host.Client, "h");
        (await UploadTests.PatchAsync(host.Client, location, content[..500_000], 0)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        (await UploadTests.PatchAsync(host.Client, location, content[500_000..], 500_000)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        using var put = await UploadTests.PutAsync(host.Client, location, Sha256(content));
        put.StatusCode.ShouldBe(HttpStatusCode.Created);
        driver.UploadBytesRead.ShouldBe(content.Length);

        var tampered = await UploadTests.StartUploadAsync(host.Client, "h");
        (await UploadTests.PatchAsync(host.Client, tampered, content[..500_000], 0)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        using var wrong = await UploadTests.PutAsync(host.Client, tampered, Sha256(content[..499_999]));
        await wrong.ShouldBeErrorAsync(HttpStatusCode.BadRequest, "DIGEST_INVALID");
    }

    [Test]
    public async Task A_sha512_completion_after_a_patch_reads_back_and_verifies()
    {
        var driver = new ReadCountingDriver(RegistryHost.InMemory());
        await using var host = await RegistryHost.StartAsync(driver, new RegistryServerOptions());
        var content = RandomBytes(100_000, 302);
        var location = await UploadTests.StartUploadAsync(host.Client, "h");
        (await UploadTests.PatchAsync(host.Client, location, content, 0)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        using var put = await UploadTests.PutAsync(host.Client, location, Sha512(content));
        put.StatusCode.ShouldBe(HttpStatusCode.Created);
        driver.UploadBytesRead.ShouldBe(content.Length);
    }

    /// <summary>
    /// The figures in docs/serve.md: completion time of a filesystem upload verified from the
    /// streamed digest versus by read-back. REGSERVE_MEASURE_MB sets the size (default 32).
    /// </summary>
    [Test]
    public async Task Measure_completion_with_streamed_digest_and_with_read_back()
    {
        var megabytes = int.TryParse(Environment.GetEnvironmentVariable("REGSERVE_MEASURE_MB"), out var mb) ? mb : 32;
        using var temp = new TempDirectory();
        await using var host = await RegistryHost.StartAsync(RegistryHost.Filesystem(temp.Path), new RegistryServerOptions());
        var content = RandomBytes(megabytes * 1024 * 1024, 303);
        var half = content.Length / 2;

        var single = await UploadTests.StartUploadAsync(host.Client, "measure");
        (await UploadTests.PatchAsync(host.Client, single, content, 0)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var streamed = Stopwatch.StartNew();
        (await UploadTests.PutAsync(host.Client, single, Sha256(content))).StatusCode.ShouldBe(HttpStatusCode.Created);
        streamed.Stop();

        var other = RandomBytes(content.Length, 304);
        var chunked = await UploadTests.StartUploadAsync(host.Client, "measure");
        (await UploadTests.PatchAsync(host.Client, chunked, other[..half], 0)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        (await UploadTests.PatchAsync(host.Client, chunked, other[half..], half)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var readBack = Stopwatch.StartNew();
        (await UploadTests.PutAsync(host.Client, chunked, Sha256(other))).StatusCode.ShouldBe(HttpStatusCode.Created);
        readBack.Stop();

        await TestContext.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"{megabytes} MiB on filesystem: completion with streamed digest {streamed.Elapsed.TotalMilliseconds:0} ms, with read-back {readBack.Elapsed.TotalMilliseconds:0} ms ({megabytes / readBack.Elapsed.TotalSeconds:0} MiB/s)"));
    }
}
