using System.Security.Cryptography;
using Amazon.S3.Model;

namespace Registry.Storage.Drivers.S3.Tests;

/// <summary>What the s3 driver adds beyond the shared suite, checked on the real RADOS Gateway.</summary>
public sealed class S3DriverTests
{
    private const int MiB = 1 << 20;
    private readonly List<S3Driver> _drivers = [];
    private string _root = "";

    private static CancellationToken Ct => TestContext.CurrentContext.CancellationToken;

    [SetUp]
    public void PickRoot()
    {
        S3TestServer.Parameters();
        _root = S3TestServer.NewRoot();
    }

    [TearDown]
    public async Task RemoveRootAsync()
    {
        if (_drivers.Count > 0)
        {
            foreach (var child in await _drivers[0].ListSortedAsync("/", CancellationToken.None))
            {
                await _drivers[0].DeleteAsync(child, CancellationToken.None);
            }
        }

        foreach (var driver in _drivers)
        {
            driver.Dispose();
        }

        _drivers.Clear();
    }

    [Test]
    public async Task Resume_from_a_new_instance_lists_parts_over_several_pages()
    {
        // 7 parts read back 2 per page: 4 ListParts pages.
        var data = RandomBytes(7 * 5 * MiB + 123);
        var first = Driver(p => p with { ChunkSize = 5 * MiB, ListPageSize = 2 });
        await using (var writer = await first.WriterAsync("/up/data", append: false, Ct))
        {
            await writer.WriteAsync(data.AsMemory(0, 7 * 5 * MiB), Ct);
        }

        var second = Driver(p => p with { ChunkSize = 5 * MiB, ListPageSize = 2 });
        await using (var writer = await second.WriterAsync("/up/data", append: true, Ct))
        {
            writer.Size.ShouldBe(7L * 5 * MiB);
            await writer.WriteAsync(data.AsMemory(7 * 5 * MiB), Ct);
            await writer.CommitAsync(Ct);
        }

        (await second.GetContentAsync("/up/data", Ct)).ShouldBe(data);
    }

    [Test]
    public async Task Parts_are_uniform_chunksize_with_only_the_last_shorter()
    {
        var driver = Driver(p => p with { ChunkSize = 5 * MiB, UploadConcurrency = 3 });
        await using (var writer = await driver.WriterAsync("/uniform/data", append: false, Ct))
        {
            // Odd write sizes must not leak into part sizes.
            var data = RandomBytes(23 * MiB);
            for (var offset = 0; offset < data.Length; offset += 777_777)
            {
                await writer.WriteAsync(data.AsMemory(offset, Math.Min(777_777, data.Length - offset)), Ct);
            }
        }

        var key = driver.Parameters.KeyOf("/uniform/data");
        var uploads = await driver.Client.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = driver.Parameters.Bucket, Prefix = key }, Ct);
        var upload = uploads.MultipartUploads.ShouldHaveSingleItem();
        var parts = await driver.Client.ListPartsAsync(new ListPartsRequest { BucketName = driver.Parameters.Bucket, Key = key, UploadId = upload.UploadId }, Ct);
        parts.Parts.Select(p => p.Size).ShouldBe([5L * MiB, 5L * MiB, 5L * MiB, 5L * MiB, 3L * MiB]);
        parts.Parts.Select(p => p.PartNumber).ShouldBe([1, 2, 3, 4, 5]);

        await using var resumed = await driver.WriterAsync("/uniform/data", append: true, Ct);
        await resumed.CancelAsync(Ct);
        (await driver.Client.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = driver.Parameters.Bucket, Prefix = key }, Ct))
            .MultipartUploads?.Count.ShouldBe(0, "Cancel aborts the upload");
        await Should.ThrowAsync<PathNotFoundException>(() => driver.StatAsync("/uniform/data", Ct));
    }

    [Test]
    public async Task Resume_after_a_short_last_part_over_5MiB_content_copies_it_on_the_server()
    {
        // 12 MiB with 5 MiB chunks: Close leaves parts 5+5+2; a 2 MiB part may only be last.
        var data = RandomBytes(20 * MiB + 17);
        var driver = Driver(p => p with { ChunkSize = 5 * MiB });
        await using (var writer = await driver.WriterAsync("/short/data", append: false, Ct))
        {
            await writer.WriteAsync(data.AsMemory(0, 12 * MiB), Ct);
        }

        await using (var writer = await Driver(p => p with { ChunkSize = 5 * MiB }).WriterAsync("/short/data", append: true, Ct))
        {
            writer.Size.ShouldBe(12L * MiB);
            await writer.WriteAsync(data.AsMemory(12 * MiB), Ct);
            await writer.CommitAsync(Ct);
        }

        (await driver.GetContentAsync("/short/data", Ct)).ShouldBe(data);
    }

    [Test]
    public async Task Resume_after_a_tiny_upload_reads_it_back_and_continues()
    {
        var driver = Driver();
        await using (var writer = await driver.WriterAsync("/tiny/data", append: false, Ct))
        {
            await writer.WriteAsync("hello "u8.ToArray(), Ct);
        }

        await using (var writer = await Driver().WriterAsync("/tiny/data", append: true, Ct))
        {
            writer.Size.ShouldBe(6);
            await writer.WriteAsync("world"u8.ToArray(), Ct);
            await writer.CommitAsync(Ct);
        }

        (await driver.GetContentAsync("/tiny/data", Ct)).ShouldBe("hello world"u8.ToArray());
    }

    [Test]
    public async Task Uploads_of_one_key_are_listed_once_as_the_newest_and_discarded_together()
    {
        var driver = Driver();
        foreach (var size in new[] { 100, 30 })
        {
            // An interrupted put, then another one to the same path: two multipart uploads of one key.
            await using var writer = await driver.WriterAsync("/twice/data", append: false, Ct);
            await writer.WriteAsync(new byte[size], Ct);
        }

        var listed = new List<PendingUpload>();
        await foreach (var upload in driver.ListUploadsAsync("/", Ct))
        {
            listed.Add(upload);
        }

        listed.ShouldHaveSingleItem().ShouldBe(listed[0] with { Path = "/twice/data", Size = 30 }, "the newest upload, the one a resume continues");
        listed[0].LastModified.ShouldBeGreaterThan(DateTimeOffset.UtcNow.AddMinutes(-5));

        (await driver.DiscardUploadAsync("/twice/data", Ct)).ShouldBe(30);
        (await UploadsAsync(driver, "/twice/data")).ShouldBeEmpty("the older upload goes with the newest");
    }

    [Test]
    public async Task A_restarted_upload_closed_again_shows_nothing_and_its_discard_leaves_nothing()
    {
        var driver = Driver();
        await using (var writer = await driver.WriterAsync("/restart/data", append: false, Ct))
        {
            await writer.WriteAsync("hello "u8.ToArray(), Ct);
        }

        // The short last part forces a restart, which completes the upload to copy it; closing
        // again must not leave that partial content visible.
        await using (var writer = await driver.WriterAsync("/restart/data", append: true, Ct))
        {
            await writer.WriteAsync("world"u8.ToArray(), Ct);
        }

        await Should.ThrowAsync<PathNotFoundException>(() => driver.StatAsync("/restart/data", Ct));
        (await driver.DiscardUploadAsync("/restart/data", Ct)).ShouldBe(11);
        await Should.ThrowAsync<PathNotFoundException>(() => driver.StatAsync("/restart/data", Ct));
        (await UploadsAsync(driver, "/restart/data")).ShouldBeEmpty();
    }

    [Test]
    public async Task Committing_an_empty_writer_stores_an_empty_object_and_leaves_no_upload()
    {
        var driver = Driver();
        await using (var writer = await driver.WriterAsync("/empty/data", append: false, Ct))
        {
            await writer.CommitAsync(Ct);
        }

        (await driver.StatAsync("/empty/data", Ct)).Size.ShouldBe(0);
        (await driver.GetContentAsync("/empty/data", Ct)).ShouldBeEmpty();
        (await driver.Client.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = driver.Parameters.Bucket, Prefix = driver.Parameters.KeyOf("/empty/data") }, Ct))
            .MultipartUploads?.Count.ShouldBe(0);
    }

    [Test]
    public async Task A_commit_whose_upload_vanished_fails_with_the_S3_code_and_stores_nothing()
    {
        var driver = Driver();
        var key = driver.Parameters.KeyOf("/gone/data");
        await using var writer = await driver.WriterAsync("/gone/data", append: false, Ct);
        await writer.WriteAsync(new byte[1000], Ct);
        var upload = (await driver.Client.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = driver.Parameters.Bucket, Prefix = key }, Ct))
            .MultipartUploads.ShouldHaveSingleItem();
        await driver.Client.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = driver.Parameters.Bucket, Key = key, UploadId = upload.UploadId }, Ct);

        var error = await Should.ThrowAsync<StorageDriverException>(() => writer.CommitAsync(Ct));
        error.Message.ShouldContain("NoSuchUpload");
        error.Path.ShouldBe("/gone/data");
        await Should.ThrowAsync<PathNotFoundException>(() => driver.StatAsync("/gone/data", Ct));
    }

    [Test]
    public async Task Move_above_the_threshold_uses_a_parallel_multipart_copy()
    {
        var driver = Driver(p => p with { MultipartCopyThresholdSize = 5 * MiB, MultipartCopyChunkSize = 5 * MiB, MultipartCopyMaxConcurrency = 4 });
        var data = RandomBytes(12 * MiB + 5);
        await driver.PutContentAsync("/mv/src", data, Ct);
        await driver.PutContentAsync("/mv/dst", "old"u8.ToArray(), Ct);

        await driver.MoveAsync("/mv/src", "/mv/dst", Ct);

        (await driver.GetContentAsync("/mv/dst", Ct)).ShouldBe(data);
        await Should.ThrowAsync<PathNotFoundException>(() => driver.StatAsync("/mv/src", Ct));
        // A multipart object's ETag ends in -<parts>: 12 MiB in 5 MiB copy parts is 3.
        var head = await driver.Client.GetObjectMetadataAsync(driver.Parameters.Bucket, driver.Parameters.KeyOf("/mv/dst"), Ct);
        head.ETag.Trim('"').ShouldEndWith("-3");
    }

    [Test]
    public async Task Move_at_or_below_the_threshold_is_a_single_copy()
    {
        var driver = Driver();
        var data = RandomBytes(MiB);
        await driver.PutContentAsync("/mv/small", data, Ct);
        await driver.MoveAsync("/mv/small", "/mv/small2", Ct);
        (await driver.GetContentAsync("/mv/small2", Ct)).ShouldBe(data);
        var head = await driver.Client.GetObjectMetadataAsync(driver.Parameters.Bucket, driver.Parameters.KeyOf("/mv/small2"), Ct);
        head.ETag.ShouldNotContain("-");
    }

    [Test]
    public async Task One_Delete_removes_1005_files_across_batches_and_spares_prefix_siblings()
    {
        var driver = Driver(p => p with { ListObjectsPageSize = 400 });
        await Parallel.ForAsync(0, 1005, new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = Ct },
            async (i, ct) => await driver.PutContentAsync($"/many/d{i % 7}/f{i:D4}", new[] { (byte)i }, ct));
        await driver.PutContentAsync("/many-sibling", "keep"u8.ToArray(), Ct);
        await driver.PutContentAsync("/manyx/file", "keep"u8.ToArray(), Ct);

        await driver.DeleteAsync("/many", Ct);

        await Should.ThrowAsync<PathNotFoundException>(() => driver.StatAsync("/many", Ct));
        (await driver.ListSortedAsync("/", Ct)).ShouldBe(["/many-sibling", "/manyx"]);
        (await driver.GetContentAsync("/many-sibling", Ct)).ShouldBe("keep"u8.ToArray());
    }

    [Test]
    public async Task Walk_with_start_after_resumes_after_the_hint_in_walk_order()
    {
        var driver = Driver(p => p with { ListObjectsPageSize = 3 });
        string[] files = ["/w/a/1", "/w/a/2", "/w/a-b", "/w/b/c/1", "/w/b/c/2", "/w/b/d", "/w/c"];
        foreach (var file in files)
        {
            await driver.PutContentAsync(file, "x"u8.ToArray(), Ct);
        }

        var all = (await driver.WalkToListAsync("/w", null, Ct)).Select(StoragePath.WalkKey).ToList();
        all.ShouldBe(["/w/a-b", "/w/a/", "/w/a/1", "/w/a/2", "/w/b/", "/w/b/c/", "/w/b/c/1", "/w/b/c/2", "/w/b/d", "/w/c"]);

        foreach (var hint in new[] { "/w/a/1", "/w/b/", "/w/b/c/2", "/w/a", "/w/zzz" })
        {
            var after = (await driver.WalkToListAsync("/w", new WalkOptions { StartAfterHint = hint }, Ct)).Select(StoragePath.WalkKey).ToList();
            after.ShouldBe(all.Where(k => string.CompareOrdinal(k, hint) > 0).ToList(), $"hint {hint}");
        }
    }

    [Test]
    public async Task Keys_written_in_distributions_layout_are_read_as_paths()
    {
        var driver = Driver();
        var key = $"{_root}/docker/registry/v2/blobs/sha256/ab/abcdef/data";
        await driver.Client.PutObjectAsync(new PutObjectRequest { BucketName = driver.Parameters.Bucket, Key = key, ContentBody = "layer" }, Ct);

        (await driver.GetContentAsync("/docker/registry/v2/blobs/sha256/ab/abcdef/data", Ct)).ShouldBe("layer"u8.ToArray());
        (await driver.StatAsync("/docker/registry/v2/blobs/sha256/ab/abcdef/data", Ct)).Size.ShouldBe(5);
        (await driver.StatAsync("/docker/registry/v2/blobs", Ct)).IsDirectory.ShouldBeTrue();
        (await driver.ListSortedAsync("/docker/registry/v2/blobs/sha256/ab", Ct)).ShouldBe(["/docker/registry/v2/blobs/sha256/ab/abcdef"]);
        // and what the driver writes lands at distribution's key
        await driver.PutContentAsync("/docker/registry/v2/repositories/x/_layers/link", "sha"u8.ToArray(), Ct);
        (await driver.Client.GetObjectMetadataAsync(driver.Parameters.Bucket, $"{_root}/docker/registry/v2/repositories/x/_layers/link", Ct)).ContentLength.ShouldBe(3);
    }

    [Test]
    public async Task Redirect_urls_are_presigned_for_twenty_minutes_and_fetch_the_content()
    {
        var driver = Driver();
        await driver.PutContentAsync("/redirect/blob", "direct"u8.ToArray(), Ct);

        var get = (await driver.RedirectUrlAsync("/redirect/blob", RedirectOptions.Get, Ct)).ShouldNotBeNull();
        // The SDK counts from its own clock (skew-corrected), so allow a few seconds either way.
        ExpirySeconds(get).ShouldBeInRange(1195, 1205);
        using var http = new HttpClient();
        (await http.GetByteArrayAsync(get, Ct)).ShouldBe("direct"u8.ToArray());

        var head = (await driver.RedirectUrlAsync("/redirect/blob", RedirectOptions.Head, Ct)).ShouldNotBeNull();
        using var headResponse = await http.SendAsync(new HttpRequestMessage(HttpMethod.Head, head), Ct);
        headResponse.IsSuccessStatusCode.ShouldBeTrue();
        headResponse.Content.Headers.ContentLength.ShouldBe(6);

        ExpirySeconds((await driver.RedirectUrlAsync("/redirect/blob", RedirectOptions.Get with { Expiry = TimeSpan.FromMinutes(3) }, Ct))!).ShouldBeInRange(175, 185);
        (await driver.RedirectUrlAsync("/redirect/blob", new RedirectOptions("PUT"), Ct)).ShouldBeNull();
    }

    [Test]
    public async Task Redirect_url_expiry_is_counted_from_the_driver_clock()
    {
        // A driver clock 10 minutes behind the real one: the URL expires 20 minutes after
        // the driver's "now", i.e. 10 minutes from the signing time.
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow - TimeSpan.FromMinutes(10));
        var driver = Driver(p => p with { TimeProvider = clock });
        var url = (await driver.RedirectUrlAsync("/redirect/blob", RedirectOptions.Get, Ct)).ShouldNotBeNull();
        ExpirySeconds(url).ShouldBeInRange(590, 610);
    }

    [Test]
    public async Task Redirect_urls_point_at_the_redirect_endpoint()
    {
        var driver = Driver(p => p with { RedirectEndpoint = "https://registry-blobs.example.com" });
        var url = (await driver.RedirectUrlAsync("/redirect/blob", RedirectOptions.Get, Ct)).ShouldNotBeNull();
        url.Host.ShouldBe("registry-blobs.example.com");
        url.Scheme.ShouldBe("https");
    }

    [Test]
    public async Task Reading_at_or_past_the_end_gives_an_empty_stream()
    {
        var driver = Driver();
        await driver.PutContentAsync("/read/f", new byte[10], Ct);
        await using (var atEnd = await driver.ReaderAsync("/read/f", 10, Ct))
        {
            (await ReadAllAsync(atEnd)).ShouldBeEmpty();
        }

        await using (var past = await driver.ReaderAsync("/read/f", 11, Ct))
        {
            (await ReadAllAsync(past)).ShouldBeEmpty();
        }

        await using var middle = await driver.ReaderAsync("/read/f", 4, Ct);
        (await ReadAllAsync(middle)).Length.ShouldBe(6);
    }

    // The multipart uploads in progress at a path, asked of the server behind the driver's back.
    private static async Task<List<MultipartUpload>> UploadsAsync(S3Driver driver, string path) =>
        (await driver.Client.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = driver.Parameters.Bucket, Prefix = driver.Parameters.KeyOf(path) }, Ct))
            .MultipartUploads ?? [];

    private S3Driver Driver(Func<S3Parameters, S3Parameters>? adjust = null)
    {
        var driver = S3TestServer.Create(_root, adjust);
        _drivers.Add(driver);
        return driver;
    }

    private static int ExpirySeconds(Uri presigned) =>
        int.Parse(System.Web.HttpUtility.ParseQueryString(presigned.Query)["X-Amz-Expires"]!, System.Globalization.CultureInfo.InvariantCulture);

    private static byte[] RandomBytes(int length) => RandomNumberGenerator.GetBytes(length);

    private static async Task<byte[]> ReadAllAsync(Stream stream)
    {
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, Ct);
        return buffer.ToArray();
    }
}
