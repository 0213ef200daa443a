using System.Net;
using Registry.Storage.Oss.StandIn;

namespace Registry.Storage.Drivers.Oss.Tests;

/// <summary>
/// What the oss driver does against a server that checks like OSS: authentication errors,
/// virtual-hosted addressing, V1 signing, resume with tails, the copy and part-size limits,
/// presigned URL expiry, batch deletes and paging.
/// </summary>
public sealed class OssStandInTests
{
    private static readonly byte[] Hello = "hello oss"u8.ToArray();

    private static string NewRoot() => "oss-tests-" + Guid.NewGuid().ToString("N")[..12];

    [Test]
    public async Task An_ip_endpoint_is_addressed_path_style_without_the_loopback_switch()
    {
        var standIn = await OssTestServer.StandInAsync();
        // http://127.0.0.1:port, no testloopback: the official clients' path-style (no bkt.127.0.0.1 to resolve).
        await using var driver = await OssTestServer.StandInDriverAsync(NewRoot(), p => p
            .With("endpoint", $"http://127.0.0.1:{standIn.Port}")
            .With("testloopback", "false"));

        await driver.PutContentAsync("/path-style/blob", "by ip"u8.ToArray());
        (await driver.GetContentAsync("/path-style/blob")).ShouldBe("by ip"u8.ToArray());
        (await driver.StatAsync("/path-style")).IsDirectory.ShouldBeTrue();
        var url = await driver.RedirectUrlAsync("/path-style/blob", new RedirectOptions("GET"));
        url.ShouldNotBeNull().AbsolutePath.ShouldStartWith($"/{OssParameters.Parse(await OssTestServer.StandInParametersAsync("x")).Bucket}/");
        using var http = new HttpClient();
        (await http.GetStringAsync(url)).ShouldBe("by ip");
        await driver.DeleteAsync("/path-style");
    }

    [Test]
    public void An_ip_or_localhost_endpoint_is_path_style_and_a_name_virtual_hosted()
    {
        static OssParameters Parse(string endpoint) => OssParameters.Parse(new DriverParameters("oss", new Dictionary<string, object?>
        {
            ["accesskeyid"] = "id", ["accesskeysecret"] = "secret", ["region"] = "oss-cn-hangzhou", ["bucket"] = "bkt", ["endpoint"] = endpoint,
        }));

        Parse("http://127.0.0.1:1").BucketBase.ShouldBe(new Uri("http://127.0.0.1:1/bkt"));
        Parse("http://[::1]:1").BucketBase.ShouldBe(new Uri("http://[::1]:1/bkt"));
        Parse("http://localhost:1").PathStyle.ShouldBeTrue();
        Parse("https://oss-cn-hangzhou.aliyuncs.com").BucketBase.ShouldBe(new Uri("https://bkt.oss-cn-hangzhou.aliyuncs.com"));
    }

    [Test]
    public async Task A_wrong_secret_is_rejected_by_the_server_and_surfaces_as_an_authentication_error()
    {
        using var driver = await OssTestServer.StandInDriverAsync(NewRoot(), p => p.With("accesskeysecret", "not-the-secret-123"));

        var error = await Should.ThrowAsync<OssAuthenticationException>(() => driver.PutContentAsync("/a/file", Hello));

        error.DriverName.ShouldBe("oss");
        error.Path.ShouldBe("/a/file");
        error.Message.ShouldContain("SignatureDoesNotMatch");
        error.Message.ShouldContain("request id");
        error.Message.ShouldNotContain("not-the-secret-123");
        error.IsTransient.ShouldBeFalse();
        var inner = error.InnerException.ShouldBeOfType<OssServiceException>();
        inner.Status.ShouldBe(HttpStatusCode.Forbidden);
        inner.RequestId.ShouldNotBeNullOrEmpty();
    }

    [Test]
    public async Task A_wrong_secret_under_V1_is_rejected_too()
    {
        using var driver = await OssTestServer.StandInDriverAsync(NewRoot(), p => p.With("accesskeysecret", "wrong").With("signatureversion", "v1"));
        (await Should.ThrowAsync<OssAuthenticationException>(() => driver.GetContentAsync("/x"))).Message.ShouldContain("SignatureDoesNotMatch");
    }

    [Test]
    public async Task An_unknown_access_key_id_is_an_authentication_error()
    {
        using var driver = await OssTestServer.StandInDriverAsync(NewRoot(), p => p.With("accesskeyid", "LTAIunknown"));
        (await Should.ThrowAsync<OssAuthenticationException>(() => driver.GetContentAsync("/x"))).Message.ShouldContain("InvalidAccessKeyId");
    }

    [Test]
    public async Task A_clock_far_off_is_rejected_as_RequestTimeTooSkewed()
    {
        var parameters = OssParameters.Parse(await OssTestServer.StandInParametersAsync(NewRoot()));
        using var driver = new OssDriver(parameters, new FixedClock(DateTimeOffset.UtcNow.AddHours(-1)));
        (await Should.ThrowAsync<OssAuthenticationException>(() => driver.PutContentAsync("/x", Hello))).Message.ShouldContain("RequestTimeTooSkewed");
    }

    [Test]
    public async Task Signature_version_1_works_end_to_end()
    {
        using var driver = await OssTestServer.StandInDriverAsync(NewRoot(), p => p.With("signatureversion", "v1"));
        await driver.PutContentAsync("/v1/dir/file", Hello);
        (await driver.GetContentAsync("/v1/dir/file")).ShouldBe(Hello);
        (await driver.ListSortedAsync("/v1")).ShouldBe(["/v1/dir"]);
        var url = await driver.RedirectUrlAsync("/v1/dir/file", RedirectOptions.Get);
        using (var http = new HttpClient())
        {
            (await http.GetByteArrayAsync(url)).ShouldBe(Hello);
        }

        await driver.DeleteAsync("/v1");
        (await driver.ExistsAsync("/v1")).ShouldBeFalse();
    }

    [Test]
    public async Task The_server_refuses_path_style_requests_on_a_named_endpoint_so_the_driver_must_be_virtual_hosted_there()
    {
        var standIn = await OssTestServer.StandInAsync();
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"http://127.0.0.1:{standIn.Port}/{standIn.Options.Bucket}/some/key"));
        request.Headers.Host = $"{standIn.Options.EndpointHost}:{standIn.Port}"; // the endpoint's name, no bucket label
        using var response = await http.SendAsync(request);
        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await response.Content.ReadAsStringAsync()).ShouldContain("<Code>SecondLevelDomainForbidden</Code>");
    }

    [Test]
    public async Task An_expired_presigned_url_is_refused()
    {
        var parameters = OssParameters.Parse(await OssTestServer.StandInParametersAsync(NewRoot()));
        using var driver = new OssDriver(parameters);
        await driver.PutContentAsync("/expiring", Hello);
        try
        {
            using var past = new OssDriver(parameters, new FixedClock(DateTimeOffset.UtcNow.AddHours(-1)));
            var url = await past.RedirectUrlAsync("/expiring", RedirectOptions.Get);
            using var http = new HttpClient();
            using var response = await http.GetAsync(url);
            response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
            (await response.Content.ReadAsStringAsync()).ShouldContain("expired");
        }
        finally
        {
            await driver.DeleteAsync("/expiring");
        }
    }

    [Test]
    public async Task A_closed_writer_resumes_in_a_new_driver_with_uniform_parts_and_no_visible_tail()
    {
        var root = NewRoot();
        var chunk = (int)OssParameters.MinChunkSize;
        var first = RandomBytes(chunk + 300_000);
        var second = RandomBytes(chunk + 7);
        using (var driver = await OssTestServer.StandInDriverAsync(root, p => p.With("chunksize", "5MiB")))
        {
            var writer = await driver.WriterAsync("/up/blob", append: false);
            await writer.WriteAsync(first);
            await writer.DisposeAsync();

            // Closed, not committed: nothing at the path, nothing in the listing, the tail beside the root.
            (await driver.ExistsAsync("/up/blob")).ShouldBeFalse();
            (await driver.ListSortedAsync("/")).ShouldBeEmpty();
        }

        using (var tails = await OssTestServer.StandInDriverAsync(root + OssKeyLayout.TailsFolder))
        {
            (await tails.WalkToListAsync("/")).Count(e => !e.IsDirectory).ShouldBe(1, "one tail object for the 300 000 bytes short of a chunk");
        }

        using (var resumed = await OssTestServer.StandInDriverAsync(root, p => p.With("chunksize", "5MiB")))
        {
            var writer = await resumed.WriterAsync("/up/blob", append: true);
            writer.Size.ShouldBe(first.Length);
            await writer.WriteAsync(second);
            await writer.CommitAsync();
            await writer.DisposeAsync();

            (await resumed.GetContentAsync("/up/blob")).ShouldBe([.. first, .. second]);
            (await resumed.StatAsync("/up/blob")).Size.ShouldBe(first.Length + second.Length);
            await resumed.DeleteAsync("/up");
        }

        using (var tails = await OssTestServer.StandInDriverAsync(root + OssKeyLayout.TailsFolder))
        {
            (await tails.WalkToListAsync("/")).ShouldBeEmpty("commit removes the upload's tails");
        }
    }

    [Test]
    public async Task Cancel_after_resume_leaves_neither_content_nor_tail()
    {
        var root = NewRoot();
        using var driver = await OssTestServer.StandInDriverAsync(root);
        var writer = await driver.WriterAsync("/c/blob", append: false);
        await writer.WriteAsync(Hello);
        await writer.DisposeAsync();

        var resumed = await driver.WriterAsync("/c/blob", append: true);
        resumed.Size.ShouldBe(Hello.Length);
        await resumed.CancelAsync();
        await resumed.DisposeAsync();

        (await driver.ExistsAsync("/c/blob")).ShouldBeFalse();
        await Should.ThrowAsync<PathNotFoundException>(() => driver.WriterAsync("/c/blob", append: true));
        using var tails = await OssTestServer.StandInDriverAsync(root + OssKeyLayout.TailsFolder);
        (await tails.WalkToListAsync("/")).ShouldBeEmpty();
    }

    [Test]
    public async Task Pending_uploads_count_parts_and_tail_list_one_per_key_and_are_discarded_with_older_ones_and_tails()
    {
        var root = NewRoot();
        using var driver = await OssTestServer.StandInDriverAsync(root, p => p.With("chunksize", "5MiB"));
        var chunk = (int)OssParameters.MinChunkSize;
        foreach (var size in new[] { 100, chunk + 42 })
        {
            // An interrupted put, then another to the same path: two uploads of one key, the newer with a part and a tail.
            var writer = await driver.WriterAsync("/twice/blob", append: false);
            await writer.WriteAsync(RandomBytes(size));
            await writer.DisposeAsync();
        }

        var listed = new List<PendingUpload>();
        await foreach (var upload in driver.ListUploadsAsync("/"))
        {
            listed.Add(upload);
        }

        var only = listed.ShouldHaveSingleItem();
        only.Path.ShouldBe("/twice/blob");
        only.Size.ShouldBe(chunk + 42, "a whole part plus the 42-byte tail: what a resumed writer starts from");
        only.LastModified.ShouldBeGreaterThan(DateTimeOffset.UtcNow.AddMinutes(-5));

        (await driver.DiscardUploadAsync("/twice/blob")).ShouldBe(chunk + 42);
        await foreach (var upload in driver.ListUploadsAsync("/"))
        {
            Assert.Fail($"left after the discard: {upload}");
        }

        using var tails = await OssTestServer.StandInDriverAsync(root + OssKeyLayout.TailsFolder);
        (await tails.WalkToListAsync("/")).ShouldBeEmpty("the discard removes the tails of both uploads");
    }

    [Test]
    public async Task Append_onto_committed_empty_content_is_allowed_and_onto_non_empty_content_refused()
    {
        using var driver = await OssTestServer.StandInDriverAsync(NewRoot());
        await driver.PutContentAsync("/e/empty", ReadOnlyMemory<byte>.Empty);
        await driver.PutContentAsync("/e/full", Hello);
        try
        {
            var writer = await driver.WriterAsync("/e/empty", append: true);
            writer.Size.ShouldBe(0);
            await writer.WriteAsync(Hello);
            await writer.CommitAsync();
            await writer.DisposeAsync();
            (await driver.GetContentAsync("/e/empty")).ShouldBe(Hello);

            await Should.ThrowAsync<StorageDriverException>(() => driver.WriterAsync("/e/full", append: true));
        }
        finally
        {
            await driver.DeleteAsync("/e");
        }
    }

    [Test]
    public async Task Move_above_the_CopyObject_limit_copies_part_by_part_with_UploadPartCopy()
    {
        await using var standIn = await OssStandInServer.StartAsync(new OssStandInOptions { CopyObjectLimit = 1 << 20 });
        var parameters = OssParameters.Parse(new DriverParameters("oss", standIn.DriverParameters.Select(p => new KeyValuePair<string, object?>(p.Key, p.Value))));
        var content = RandomBytes((3 << 20) + 5);

        using (var plain = new OssDriver(parameters) { CopyObjectLimit = 4L << 20 })
        {
            await plain.PutContentAsync("/big", content);
            // A driver that tried CopyObject above the server's limit is refused: the limit is enforced.
            (await Should.ThrowAsync<StorageDriverException>(() => plain.MoveAsync("/big", "/moved"))).Message.ShouldContain("UploadPartCopy");
        }

        using var driver = new OssDriver(parameters) { CopyObjectLimit = 1 << 20, CopyPartSize = 1 << 20 };
        await driver.MoveAsync("/big", "/moved");
        (await driver.GetContentAsync("/moved")).ShouldBe(content);
        (await driver.ExistsAsync("/big")).ShouldBeFalse();
    }

    [Test]
    public async Task Completing_with_a_part_under_100KB_before_the_last_fails_with_EntityTooSmall()
    {
        var parameters = OssParameters.Parse(await OssTestServer.StandInParametersAsync(NewRoot()));
        using var client = new OssClient("oss", parameters, TimeProvider.System);
        var key = parameters.RootDirectory + "/small-parts";
        var uploadId = await client.InitiateMultipartUploadAsync(key, "/small-parts", CancellationToken.None);
        var parts = new List<OssPart>();
        foreach (var number in new[] { 1, 2 })
        {
            var etag = await client.UploadPartAsync(key, uploadId, number, RandomBytes(50_000), "/small-parts", CancellationToken.None);
            parts.Add(new OssPart(number, etag, 50_000));
        }

        var error = await Should.ThrowAsync<StorageDriverException>(() => client.CompleteMultipartUploadAsync(key, uploadId, parts, "/small-parts", CancellationToken.None));
        error.Message.ShouldContain("EntityTooSmall");
        await client.AbortMultipartUploadAsync(key, uploadId, "/small-parts", CancellationToken.None);
    }

    [Test]
    public async Task More_than_a_page_of_files_lists_walks_and_deletes_in_batches_of_1000()
    {
        using var driver = await OssTestServer.StandInDriverAsync(NewRoot());
        var paths = Enumerable.Range(0, 1005).Select(i => $"/many/f{i:D4}").ToList();
        await Parallel.ForEachAsync(paths, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (path, ct) => await driver.PutContentAsync(path, Hello, ct));
        await driver.PutContentAsync("/many-sibling", Hello);

        (await driver.ListSortedAsync("/many")).ShouldBe(paths);
        (await driver.WalkToListAsync("/many")).Select(e => e.Path).ShouldBe(paths);

        await driver.DeleteAsync("/many");
        (await driver.ExistsAsync("/many")).ShouldBeFalse();
        (await driver.GetContentAsync("/many-sibling")).ShouldBe(Hello, "a sibling sharing the prefix survives");
        await driver.DeleteAsync("/many-sibling");
    }

    [Test]
    public async Task Resume_pages_through_more_than_1000_uploads_and_parts_picks_the_newest_upload_and_its_cancel_takes_the_older_ones()
    {
        var root = NewRoot();
        var parameters = OssParameters.Parse(await OssTestServer.StandInParametersAsync(root));
        using var client = new OssClient("oss", parameters, TimeProvider.System);
        var key = root + "/paged";
        var options = new ParallelOptions { MaxDegreeOfParallelism = 16 };
        // 1 001 older uploads of the same key, then the newest, which gets 1 001 one-byte parts
        // (ListParts does not check sizes; only Complete would).
        var older = new System.Collections.Concurrent.ConcurrentBag<string>();
        await Parallel.ForEachAsync(Enumerable.Range(0, 1001), options, async (_, ct) => older.Add(await client.InitiateMultipartUploadAsync(key, "/paged", ct)));
        var newest = await client.InitiateMultipartUploadAsync(key, "/paged", CancellationToken.None);
        await Parallel.ForEachAsync(Enumerable.Range(1, 1001), options, async (number, ct) => await client.UploadPartAsync(key, newest, number, new byte[] { 1 }, "/paged", ct));

        using var driver = new OssDriver(parameters);
        var writer = await driver.WriterAsync("/paged", append: true);
        writer.Size.ShouldBe(1001, "all 1 001 parts of the newest upload, across two ListParts pages");
        await writer.CancelAsync();
        await writer.DisposeAsync();

        // The older uploads, which no resume could reach, went with the cancelled one.
        (await client.ListMultipartUploadsAsync(key, null, null, "/paged", CancellationToken.None)).Uploads.ShouldBeEmpty();
        await Should.ThrowAsync<PathNotFoundException>(() => driver.WriterAsync("/paged", append: true));
    }

    [Test]
    public async Task Moving_a_file_onto_itself_keeps_it()
    {
        using var driver = await OssTestServer.StandInDriverAsync(NewRoot());
        await driver.PutContentAsync("/self", Hello);
        await driver.MoveAsync("/self", "/self");
        (await driver.GetContentAsync("/self")).ShouldBe(Hello);
        await driver.DeleteAsync("/self");
    }

    [TestCase("v4")]
    [TestCase("v1")]
    public async Task STS_credentials_sign_with_their_security_token_and_fail_without_it(string version)
    {
        await using var standIn = await OssStandInServer.StartAsync(new OssStandInOptions { SecurityToken = "sts-token-123" });
        var parameters = new DriverParameters("oss", standIn.DriverParameters.Select(p => new KeyValuePair<string, object?>(p.Key, p.Value)))
            .With("signatureversion", version);

        using (var driver = new OssDriver(OssParameters.Parse(parameters)))
        {
            await driver.PutContentAsync("/sts", Hello);
            var url = await driver.RedirectUrlAsync("/sts", RedirectOptions.Get);
            url!.Query.ShouldContain("security-token=sts-token-123");
            using var http = new HttpClient();
            (await http.GetByteArrayAsync(url)).ShouldBe(Hello);
        }

        using var withoutToken = new OssDriver(OssParameters.Parse(parameters.With("securitytoken", null)));
        var error = await Should.ThrowAsync<OssAuthenticationException>(() => withoutToken.GetContentAsync("/sts"));
        error.Message.ShouldNotContain("sts-token-123");
    }

    [Test]
    public async Task Walk_jumps_over_a_skipped_directory_instead_of_paging_through_it()
    {
        var root = NewRoot();
        var parameters = OssParameters.Parse(await OssTestServer.StandInParametersAsync(root));
        using var counter = new ListRequestCounter(OssHttp.CreateHandler(testLoopback: true));
        using var driver = new OssDriver(parameters, handler: counter);
        var skippedFiles = Enumerable.Range(0, 2100).Select(i => $"/w/a/f{i:D4}").ToList();
        await Parallel.ForEachAsync(skippedFiles, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (path, ct) => await driver.PutContentAsync(path, Hello, ct));
        await driver.PutContentAsync("/w/b/last", Hello);

        counter.Lists = 0;
        var seen = new List<string>();
        await driver.WalkAsync("/w", (entry, _) =>
        {
            seen.Add(entry.Path);
            return ValueTask.FromResult(entry.Path == "/w/a" ? WalkDecision.SkipDirectory : WalkDecision.Continue);
        });

        seen.ShouldBe(["/w/a", "/w/b", "/w/b/last"]);
        counter.Lists.ShouldBe(2, "the first page, then one listing after the skipped directory (not three pages through it)");
        await driver.DeleteAsync("/w");
    }

    private static byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        Random.Shared.NextBytes(bytes);
        return bytes;
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private sealed class ListRequestCounter(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        public int Lists;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.RequestUri!.Query.Contains("list-type=2", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref Lists);
            }

            return base.SendAsync(request, cancellationToken);
        }
    }
}
