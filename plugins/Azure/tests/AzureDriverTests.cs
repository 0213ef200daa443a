using System.Security.Cryptography;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;

namespace Registry.Storage.Drivers.Azure.Tests;

/// <summary>Behaviour specific to the azure driver, against the real server (Azurite in the test command).</summary>
[TestFixture]
[Category("Azure")]
public sealed class AzureDriverTests
{
    private const int MiB = 1 << 20;
    private string _root = "";
    private AzureDriver _driver = null!;

    [SetUp]
    public async Task SetUp()
    {
        _root = AzureTestServer.NewRootName();
        _driver = await AzureTestServer.CreateDriverAsync(_root, p => p.With("chunksize", "1MiB").With("maxconcurrency", "4"));
    }

    [TearDown]
    public async Task TearDown()
    {
        if (_driver is not null && await _driver.ExistsAsync("/"))
        {
            await foreach (var child in _driver.ListAsync("/"))
            {
                await _driver.DeleteAsync(child);
            }
        }
    }

    [Test]
    public async Task Pending_uploads_are_live_staged_sessions_with_their_contiguous_bytes_and_start_time()
    {
        var started = DateTimeOffset.UtcNow.AddSeconds(-1);
        await using (var staged = await _driver.WriterAsync("/pending/staged", append: false))
        {
            await staged.WriteAsync(RandomNumberGenerator.GetBytes(MiB + 7)); // a whole block and a short one
        }

        await _driver.PutContentAsync("/pending/empty", ReadOnlyMemory<byte>.Empty);
        await using (var overEmpty = await _driver.WriterAsync("/pending/empty", append: true))
        {
            await overEmpty.WriteAsync(new byte[3]); // staged over committed empty content
        }

        await using (var cancelled = await _driver.WriterAsync("/pending/cancelled", append: false))
        {
            await cancelled.WriteAsync(new byte[5]);
            await cancelled.CancelAsync(); // its blocks stay until the service drops them, marked dead
        }

        await _driver.PutContentAsync("/pending/file", new byte[10]);
        await using (var overwrite = await _driver.WriterAsync("/pending/file", append: false))
        {
            await overwrite.WriteAsync(new byte[4]); // an interrupted overwrite: found at its own path only
        }

        var below = await UploadsAsync("/pending");
        below.Select(u => (u.Path, u.Size)).OrderBy(u => u.Path, StringComparer.Ordinal).ShouldBe([("/pending/empty", 3L), ("/pending/staged", MiB + 7L)]);
        below.ShouldAllBe(u => u.LastModified >= started && u.LastModified <= DateTimeOffset.UtcNow.AddMinutes(1));
        (await UploadsAsync("/pending/file")).Select(u => (u.Path, u.Size)).ShouldBe([("/pending/file", 4L)]);

        (await _driver.DiscardUploadAsync("/pending/file")).ShouldBe(4);
        (await _driver.GetContentAsync("/pending/file")).Length.ShouldBe(10, "the committed content stays");
        await _driver.DeleteAsync("/pending");
        (await UploadsAsync("/")).ShouldBeEmpty();
    }

    [Test]
    public async Task Writer_closed_in_one_instance_resumes_in_a_new_instance_and_commits_every_byte()
    {
        var data = RandomNumberGenerator.GetBytes(3 * MiB + 12345);
        var first = await _driver.WriterAsync("/upload/data", append: false);
        await first.WriteAsync(data.AsMemory(0, MiB + 100));
        await first.DisposeAsync();
        (await _driver.ExistsAsync("/upload/data")).ShouldBeFalse("closed, uncommitted content must stay invisible");

        var secondDriver = await AzureTestServer.CreateDriverAsync(_root, p => p.With("chunksize", "1MiB"));
        var second = await secondDriver.WriterAsync("/upload/data", append: true);
        second.Size.ShouldBe(MiB + 100);
        await second.WriteAsync(data.AsMemory(MiB + 100, MiB));
        await second.DisposeAsync();

        var thirdDriver = await AzureTestServer.CreateDriverAsync(_root, p => p.With("chunksize", "1MiB"));
        await using var third = await thirdDriver.WriterAsync("/upload/data", append: true);
        third.Size.ShouldBe(2 * MiB + 100);
        await third.WriteAsync(data.AsMemory(2 * MiB + 100));
        await third.CommitAsync();

        third.Size.ShouldBe(data.Length);
        (await _driver.GetContentAsync("/upload/data")).ShouldBe(data);
        (await _driver.StatAsync("/upload/data")).Size.ShouldBe(data.Length);
    }

    [Test]
    public async Task Empty_writer_closed_in_one_request_resumes_in_the_next_with_size_zero()
    {
        // A registry opens an upload in one HTTP request (Writer, then Close) and writes in the next.
        var opened = await _driver.WriterAsync("/uploads/u/data", append: false);
        await opened.DisposeAsync();
        (await _driver.ExistsAsync("/uploads/u/data")).ShouldBeFalse();

        var resumed = await _driver.WriterAsync("/uploads/u/data", append: true);
        resumed.Size.ShouldBe(0);
        await resumed.WriteAsync(new byte[] { 4, 5, 6 });
        await resumed.DisposeAsync();

        await using var last = await _driver.WriterAsync("/uploads/u/data", append: true);
        last.Size.ShouldBe(3);
        await last.CommitAsync();
        (await _driver.GetContentAsync("/uploads/u/data")).ShouldBe(new byte[] { 4, 5, 6 });
    }

    [Test]
    public async Task Cancelling_a_resumed_empty_upload_makes_it_unresumable()
    {
        await (await _driver.WriterAsync("/e", append: false)).DisposeAsync();
        var resumed = await _driver.WriterAsync("/e", append: true);
        await resumed.CancelAsync();
        await resumed.DisposeAsync();

        await Should.ThrowAsync<PathNotFoundException>(() => _driver.WriterAsync("/e", append: true));
    }

    [Test]
    public async Task New_writer_ignores_blocks_a_closed_writer_left_and_its_commit_discards_them()
    {
        var stale = await _driver.WriterAsync("/f", append: false);
        await stale.WriteAsync(RandomNumberGenerator.GetBytes(2 * MiB));
        await stale.DisposeAsync();

        var fresh = RandomNumberGenerator.GetBytes(1000);
        await using (var writer = await _driver.WriterAsync("/f", append: false))
        {
            writer.Size.ShouldBe(0);
            await writer.WriteAsync(fresh);
            await writer.CommitAsync();
        }

        (await _driver.GetContentAsync("/f")).ShouldBe(fresh);
        var blocks = await AzureTestServer.Container(_driver).GetBlockBlobClient(_root + "/f").GetBlockListAsync(BlockListTypes.Uncommitted);
        blocks.Value.UncommittedBlocks.ShouldBeEmpty();
    }

    [Test]
    public async Task Cancelled_upload_cannot_be_resumed_and_leaves_nothing_at_the_path()
    {
        var writer = await _driver.WriterAsync("/cancelled", append: false);
        await writer.WriteAsync(RandomNumberGenerator.GetBytes(MiB + 1));
        await writer.CancelAsync();
        await writer.DisposeAsync();

        (await _driver.ExistsAsync("/cancelled")).ShouldBeFalse();
        await Should.ThrowAsync<PathNotFoundException>(() => _driver.WriterAsync("/cancelled", append: true));
    }

    [Test]
    public async Task Append_blob_written_as_distribution_does_is_read_appended_and_moved()
    {
        // distribution's azure writer: Create an append blob, then 4 MiB Append Block calls.
        var head = RandomNumberGenerator.GetBytes(5 * MiB + 7);
        var appendBlob = AzureTestServer.Container(_driver).GetAppendBlobClient(_root + "/docker/registry/v2/repositories/r/_uploads/u/data");
        await appendBlob.CreateAsync();
        for (var offset = 0; offset < head.Length; offset += 4 * MiB)
        {
            using var chunk = new MemoryStream(head, offset, Math.Min(4 * MiB, head.Length - offset));
            await appendBlob.AppendBlockAsync(chunk);
        }

        const string path = "/docker/registry/v2/repositories/r/_uploads/u/data";
        (await _driver.GetContentAsync(path)).ShouldBe(head);
        await using (var reader = await _driver.ReaderAsync(path, 5 * MiB))
        {
            var tail = new MemoryStream();
            await reader.CopyToAsync(tail);
            tail.ToArray().ShouldBe(head[(5 * MiB)..]);
        }

        var more = RandomNumberGenerator.GetBytes(4 * MiB + 3);
        await using (var writer = await _driver.WriterAsync(path, append: true))
        {
            writer.Size.ShouldBe(head.Length);
            await writer.WriteAsync(more);
            await writer.CommitAsync();
            writer.Size.ShouldBe(head.Length + more.Length);
        }

        var expected = head.Concat(more).ToArray();
        (await _driver.GetContentAsync(path)).ShouldBe(expected);

        await _driver.MoveAsync(path, "/docker/registry/v2/blobs/sha256/ab/abcd/data");
        (await _driver.ExistsAsync(path)).ShouldBeFalse();
        (await _driver.GetContentAsync("/docker/registry/v2/blobs/sha256/ab/abcd/data")).ShouldBe(expected);
    }

    [Test]
    public async Task PutContent_replaces_an_append_blob_with_a_block_blob()
    {
        var appendBlob = AzureTestServer.Container(_driver).GetAppendBlobClient(_root + "/legacy");
        await appendBlob.CreateAsync();
        using (var old = new MemoryStream([1, 2, 3]))
        {
            await appendBlob.AppendBlockAsync(old);
        }

        await _driver.PutContentAsync("/legacy", new byte[] { 9, 8 });

        (await _driver.GetContentAsync("/legacy")).ShouldBe(new byte[] { 9, 8 });
        (await appendBlob.GetPropertiesAsync()).Value.BlobType.ShouldBe(BlobType.Block);
    }

    [Test]
    public async Task New_writer_over_an_append_blob_replaces_it_on_commit()
    {
        var appendBlob = AzureTestServer.Container(_driver).GetAppendBlobClient(_root + "/legacy");
        await appendBlob.CreateAsync();
        var data = RandomNumberGenerator.GetBytes(MiB + 5);

        await _driver.WriteStreamAsync("/legacy", new MemoryStream(data));

        (await _driver.GetContentAsync("/legacy")).ShouldBe(data);
        (await appendBlob.GetPropertiesAsync()).Value.BlobType.ShouldBe(BlobType.Block);
    }

    [Test]
    public async Task Move_replaces_a_destination_of_another_blob_type()
    {
        var appendBlob = AzureTestServer.Container(_driver).GetAppendBlobClient(_root + "/dst");
        await appendBlob.CreateAsync();
        await _driver.PutContentAsync("/src", new byte[] { 1, 2, 3 });

        await _driver.MoveAsync("/src", "/dst");

        (await _driver.GetContentAsync("/dst")).ShouldBe(new byte[] { 1, 2, 3 });
        (await _driver.ExistsAsync("/src")).ShouldBeFalse();
    }

    [Test]
    public async Task Redirect_url_is_a_sas_url_a_plain_http_client_can_fetch_and_head()
    {
        var content = RandomNumberGenerator.GetBytes(4096);
        await _driver.PutContentAsync("/blobs/x", content);
        _driver.Capabilities.Redirect.ShouldBeTrue();

        var url = await _driver.RedirectUrlAsync("/blobs/x", RedirectOptions.Get);
        url.ShouldNotBeNull();
        url.Query.ShouldContain("sig=");
        url.Query.ShouldContain("sp=r");

        using var http = new HttpClient();
        (await http.GetByteArrayAsync(url)).ShouldBe(content);
        using var head = await http.SendAsync(new HttpRequestMessage(HttpMethod.Head, url));
        head.IsSuccessStatusCode.ShouldBeTrue();
        head.Content.Headers.ContentLength.ShouldBe(content.Length);

        var unsigned = new UriBuilder(url) { Query = "" }.Uri;
        using var refused = await http.GetAsync(unsigned);
        ((int)refused.StatusCode).ShouldBeGreaterThanOrEqualTo(400, "without the signature the blob must not be readable");
    }

    [Test]
    public async Task Redirect_url_expires_per_the_drivers_clock()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero));
        var parameters = AzureTestServer.Parameters().With("rootdirectory", _root);
        var driver = await new AzureDriverFactory().CreateAsync(new DriverParameters("azure", parameters) { TimeProvider = clock });

        var url = await driver.RedirectUrlAsync("/x", RedirectOptions.Get);

        url.ShouldNotBeNull();
        Uri.UnescapeDataString(url.Query).ShouldContain("se=2030-01-02T03:24:05Z");
    }

    [Test]
    public async Task Blob_names_follow_distributions_layout_under_rootdirectory()
    {
        await _driver.PutContentAsync("/a/b/c", new byte[] { 1 });

        var names = new List<string>();
        await foreach (var blob in AzureTestServer.Container(_driver).GetBlobsAsync(new GetBlobsOptions { Prefix = _root + "/" }))
        {
            names.Add(blob.Name);
        }

        names.ShouldBe([_root + "/a/b/c"]);
    }

    [Test]
    public async Task Delete_removes_a_directory_in_parallel_but_not_a_sibling_sharing_the_prefix()
    {
        for (var i = 0; i < 20; i++)
        {
            await _driver.PutContentAsync($"/a/b/f{i}", new byte[] { (byte)i });
        }

        await _driver.PutContentAsync("/a/bc", new byte[] { 1 });
        await _driver.PutContentAsync("/a/b-c/d", new byte[] { 2 });

        await _driver.DeleteAsync("/a/b");

        (await _driver.ExistsAsync("/a/b")).ShouldBeFalse();
        (await _driver.GetContentAsync("/a/bc")).ShouldBe(new byte[] { 1 });
        (await _driver.GetContentAsync("/a/b-c/d")).ShouldBe(new byte[] { 2 });
    }

    [Test]
    public async Task Delete_discards_uploads_in_progress_below_the_path()
    {
        await _driver.PutContentAsync("/uploads/u1/startedat", new byte[] { 1 });
        var writer = await _driver.WriterAsync("/uploads/u1/data", append: false);
        await writer.WriteAsync(RandomNumberGenerator.GetBytes(MiB + 3));
        await writer.DisposeAsync();
        (await ListIncludingUploadsAsync()).ShouldContain(_root + "/uploads/u1/data");

        await _driver.DeleteAsync("/uploads/u1");

        await Should.ThrowAsync<PathNotFoundException>(() => _driver.WriterAsync("/uploads/u1/data", append: true));
        (await ListIncludingUploadsAsync()).ShouldBeEmpty();
    }

    private async Task<List<string>> ListIncludingUploadsAsync()
    {
        var names = new List<string>();
        await foreach (var blob in AzureTestServer.Container(_driver).GetBlobsAsync(new GetBlobsOptions { Prefix = _root + "/", States = BlobStates.Uncommitted }))
        {
            names.Add(blob.Name);
        }

        return names;
    }

    [Test]
    public async Task Missing_container_is_created_by_the_factory()
    {
        var container = "regstore-" + Guid.NewGuid().ToString("N")[..16];
        var driver = await AzureTestServer.CreateDriverAsync(_root, p => p.With("container", container));
        try
        {
            await driver.PutContentAsync("/x", new byte[] { 1 });
            (await AzureTestServer.Container(driver).ExistsAsync()).Value.ShouldBeTrue();
        }
        finally
        {
            await AzureTestServer.Container(driver).DeleteIfExistsAsync();
        }
    }

    private async Task<List<PendingUpload>> UploadsAsync(string path)
    {
        var uploads = new List<PendingUpload>();
        await foreach (var upload in _driver.ListUploadsAsync(path))
        {
            uploads.Add(upload);
        }

        return uploads;
    }
}
