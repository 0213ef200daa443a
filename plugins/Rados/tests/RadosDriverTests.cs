using System.Diagnostics.Tracing;
using System.Text;
using Registry.Storage.Drivers.Rados.Native;

namespace Registry.Storage.Drivers.Rados.Tests;

/// <summary>What the RADOS mapping promises beyond the suite, checked on the objects in the pool.</summary>
public sealed class RadosDriverTests
{
    private const int Chunk = 64 << 10;
    private readonly List<RadosDriver> _drivers = [];
    private string _root = null!;
    private RadosCluster _cluster = null!;
    private RadosIoContext _io = null!;

    [SetUp]
    public void Connect()
    {
        _root = "rados-driver-test-" + Guid.NewGuid().ToString("N")[..12];
        _cluster = RadosTestCluster.Connect();
        _io = _cluster.OpenIoContext(RadosTestCluster.Pool);
    }

    [TearDown]
    public void Disconnect()
    {
        if (_io is null)
        {
            return;
        }

        foreach (var oid in Objects())
        {
            _io.Remove(oid);
        }

        foreach (var driver in _drivers)
        {
            driver.Dispose();
        }

        _io.Dispose();
        _cluster.Dispose();
    }

    [Test]
    public async Task Content_is_striped_over_objects_of_chunksize_with_size_and_mtime_xattrs()
    {
        var driver = await NewDriverAsync();
        var content = RandomBytes((3 * Chunk) + 100);

        await driver.PutContentAsync("/a/file", content);

        var stripes = DataObjects();
        stripes.Count.ShouldBe(4);
        stripes.Select(o => _io.Stat(o).Size).Order().ShouldBe([100UL, (ulong)Chunk, (ulong)Chunk, (ulong)Chunk]);
        var stripe0 = stripes.Single(o => o.EndsWith(".0", StringComparison.Ordinal));
        XattrText(stripe0, "size").ShouldBe(content.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        long.Parse(XattrText(stripe0, "mtime"), System.Globalization.CultureInfo.InvariantCulture).ShouldBeGreaterThan(0);
        (await driver.GetContentAsync("/a/file")).ShouldBe(content);
    }

    [Test]
    public async Task Move_rewrites_directory_entries_only_and_keeps_the_stripes()
    {
        var driver = await NewDriverAsync();
        var content = RandomBytes((2 * Chunk) + 1);
        await driver.PutContentAsync("/src/dir/file", content);
        var before = DataObjects();

        await driver.MoveAsync("/src/dir/file", "/dst/file");

        DataObjects().ShouldBe(before);
        (await driver.GetContentAsync("/dst/file")).ShouldBe(content);
        (await driver.ListSortedAsync("/")).ShouldBe(["/dst"]);
        Objects().ShouldNotContain(o => o.Contains("dir:/src", StringComparison.Ordinal));
    }

    [Test]
    public async Task Delete_removes_every_object_including_emptied_directories()
    {
        var driver = await NewDriverAsync();
        await driver.PutContentAsync("/x/y/z/one", RandomBytes(Chunk + 5));
        await driver.PutContentAsync("/x/y/two", RandomBytes(10));
        await driver.PutContentAsync("/x/three", RandomBytes(10));

        await driver.DeleteAsync("/x/y");
        Objects().ShouldNotContain(o => o.Contains("/y", StringComparison.Ordinal));
        await driver.DeleteAsync("/x");

        Objects().ShouldBeEmpty();
    }

    [Test]
    public async Task Closed_upload_resumes_in_another_instance_from_the_size_xattr_and_cancel_removes_its_stripes()
    {
        var first = await NewDriverAsync();
        var head = RandomBytes(Chunk + 1000);
        var writer = await first.WriterAsync("/up/load", append: false);
        await writer.WriteAsync(head);
        await writer.DisposeAsync();
        XattrText(DataObjects().Single(o => o.EndsWith(".0", StringComparison.Ordinal)), "size").ShouldBe(head.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));

        var second = await NewDriverAsync();
        var resumed = await second.WriterAsync("/up/load", append: true);
        resumed.Size.ShouldBe(head.Length);
        await resumed.WriteAsync(RandomBytes(2 * Chunk));
        await resumed.CancelAsync();
        await resumed.DisposeAsync();

        Objects().ShouldBeEmpty();
        await Should.ThrowAsync<PathNotFoundException>(() => second.StatAsync("/up/load"));
    }

    [Test]
    public async Task Pending_uploads_are_the_upload_entries_with_the_size_and_time_their_close_recorded()
    {
        var driver = await NewDriverAsync();
        await driver.PutContentAsync("/deep/a/b/file", RandomBytes(10));
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        var writer = await driver.WriterAsync("/deep/a/b/upload", append: false);
        await writer.WriteAsync(RandomBytes((2 * Chunk) + 5));
        await writer.DisposeAsync();

        // A writer that never closed (a killed process): the entry and a stripe, but no recorded size.
        var open = await driver.WriterAsync("/deep/open", append: false);
        await open.WriteAsync(RandomBytes(Chunk + 1)); // the first whole stripe goes out at once
        await Task.Delay(200);

        var listed = new List<PendingUpload>();
        await foreach (var upload in driver.ListUploadsAsync("/deep"))
        {
            listed.Add(upload);
        }

        listed.Select(u => (u.Path, u.Size)).OrderBy(u => u.Path, StringComparer.Ordinal).ShouldBe([("/deep/a/b/upload", (2L * Chunk) + 5), ("/deep/open", 0L)]);
        listed.Single(u => u.Path == "/deep/a/b/upload").LastModified.ShouldBeGreaterThan(before);
        listed.Single(u => u.Path == "/deep/open").LastModified.ShouldBeGreaterThan(before.AddSeconds(-1), "before any Close: stripe 0's own time");

        await open.CancelAsync();
        await open.DisposeAsync();
        (await driver.DiscardUploadAsync("/deep/a/b/upload")).ShouldBe((2 * Chunk) + 5);
        await driver.DeleteAsync("/deep");
        Objects().ShouldBeEmpty();
    }

    [Test]
    public async Task Deleting_a_directory_removes_an_abandoned_upload_and_its_stripes()
    {
        var driver = await NewDriverAsync();
        await driver.PutContentAsync("/_uploads/u1/startedat", RandomBytes(8));
        var writer = await driver.WriterAsync("/_uploads/u1/data", append: false);
        await writer.WriteAsync(RandomBytes((2 * Chunk) + 3));
        await writer.DisposeAsync(); // the client went away: closed, never committed

        (await driver.ListSortedAsync("/_uploads/u1")).ShouldBe(["/_uploads/u1/startedat"], "an upload in progress is not listed");
        (await driver.WalkToListAsync("/_uploads")).Select(e => e.Path).ShouldBe(["/_uploads/u1", "/_uploads/u1/startedat"]);
        DataObjects().Count.ShouldBe(4, "one stripe of startedat, three of the abandoned upload");

        await driver.DeleteAsync("/_uploads/u1");

        Objects().ShouldBeEmpty();
    }

    [Test]
    public async Task Writing_below_a_file_is_refused_and_leaves_the_file_and_no_objects_behind()
    {
        var driver = await NewDriverAsync();
        var content = RandomBytes(10);
        await driver.PutContentAsync("/a/file", content);
        var before = Objects();

        (await Should.ThrowAsync<StorageDriverException>(() => driver.PutContentAsync("/a/file/child", RandomBytes(5)))).Path.ShouldBe("/a/file");
        await Should.ThrowAsync<StorageDriverException>(() => driver.WriterAsync("/a/file/x/y", append: false));

        Objects().ShouldBe(before);
        (await driver.GetContentAsync("/a/file")).ShouldBe(content);
        (await driver.WalkToListAsync("/")).Select(e => e.Path).ShouldBe(["/a", "/a/file"]);
    }

    [Test]
    public async Task Writing_a_file_where_a_directory_is_stored_is_refused_and_keeps_the_directory()
    {
        var driver = await NewDriverAsync();
        await driver.PutContentAsync("/d/inner", RandomBytes(3));
        await driver.PutContentAsync("/e", RandomBytes(3));
        var before = Objects();

        (await Should.ThrowAsync<StorageDriverException>(() => driver.PutContentAsync("/d", RandomBytes(5)))).Path.ShouldBe("/d");
        await Should.ThrowAsync<StorageDriverException>(() => driver.MoveAsync("/e", "/d"));

        Objects().ShouldBe(before);
        (await driver.ListSortedAsync("/d")).ShouldBe(["/d/inner"]);
        (await driver.StatAsync("/e")).Size.ShouldBe(3);
    }

    [Test]
    public async Task Concurrent_commits_to_one_path_leave_one_file_and_no_orphaned_stripes()
    {
        var driver = await NewDriverAsync();
        var contents = Enumerable.Range(0, 8).Select(_ => RandomBytes(Chunk + 7)).ToArray();

        await Task.WhenAll(contents.Select(c => driver.PutContentAsync("/race/file", c)));

        var stored = await driver.GetContentAsync("/race/file");
        contents.Count(c => c.SequenceEqual(stored)).ShouldBe(1);
        DataObjects().Count.ShouldBe(2, "one file of two stripes; every replaced file's stripes are removed");
    }

    [Test]
    public async Task Commit_racing_the_prune_of_its_emptied_directory_is_never_lost()
    {
        var driver = await NewDriverAsync();
        for (var round = 0; round < 20; round++)
        {
            var dir = $"/shared/r{round}";
            await driver.PutContentAsync(dir + "/old", RandomBytes(3));

            await Task.WhenAll(
                driver.DeleteAsync(dir + "/old"),
                driver.PutContentAsync(dir + "/new", RandomBytes(3)));

            (await driver.ListSortedAsync(dir)).ShouldBe([dir + "/new"], $"round {round}");
            (await driver.StatAsync(dir)).IsDirectory.ShouldBeTrue();
        }

        await driver.DeleteAsync("/shared");
        Objects().ShouldBeEmpty();
    }

    [Test]
    public async Task Walk_reads_the_omaps_in_walk_order_where_it_differs_from_name_order()
    {
        var driver = await NewDriverAsync();
        foreach (var path in new[] { "/w/a/x", "/w/a-b", "/w/a0", "/w/b" })
        {
            await driver.PutContentAsync(path, RandomBytes(1));
        }

        var walked = await driver.WalkToListAsync("/w");

        walked.Select(e => e.Path).ShouldBe(["/w/a-b", "/w/a", "/w/a/x", "/w/a0", "/w/b"]);
        walked.Where(e => !e.IsDirectory).ShouldAllBe(e => e.Size == 1);
        await driver.DeleteAsync("/w");
    }

    [Test]
    public async Task Capabilities_declare_no_redirect_and_a_native_walk()
    {
        var driver = await NewDriverAsync();

        driver.Capabilities.Redirect.ShouldBeFalse();
        driver.Capabilities.NativeWalk.ShouldBeTrue();
        driver.Capabilities.ServerSideMove.ShouldBeTrue();
        driver.Capabilities.WriteChunkSize.ShouldBe(Chunk);
        (await driver.RedirectUrlAsync("/any", new RedirectOptions("GET"))).ShouldBeNull();
    }

    [Test]
    public async Task A_reader_rents_no_stripe_buffer_from_the_shared_pool_which_would_keep_it_after_the_read()
    {
        const int chunk = 4 << 20;
        var driver = await RadosTestCluster.CreateDriverAsync(_root, ("chunksize", chunk));
        _drivers.Add(driver);
        var content = RandomBytes(6 * chunk);
        await driver.PutContentAsync("/big", content);
        using var rentals = new SharedPoolRentals();

        await using (var reader = await driver.ReaderAsync("/big", 0))
        {
            var read = new MemoryStream();
            await reader.CopyToAsync(read);
            read.ToArray().ShouldBe(content);
        }

        rentals.Largest.ShouldBeLessThan(chunk, "the largest array rented from ArrayPool<byte>.Shared during the read");
    }

    [Test]
    public async Task Missing_pool_fails_creation_naming_the_pool()
    {
        var error = await Should.ThrowAsync<StorageDriverException>(async () =>
            await new RadosDriverFactory().CreateAsync(RadosTestCluster.Parameters(("poolname", "no-such-pool"))));

        error.Message.ShouldContain("no-such-pool");
        error.InnerException.ShouldBeOfType<RadosException>().ErrnoName.ShouldBe("ENOENT");
    }

    private async Task<RadosDriver> NewDriverAsync()
    {
        var driver = await RadosTestCluster.CreateDriverAsync(_root, ("chunksize", Chunk));
        _drivers.Add(driver);
        return driver;
    }

    private string Prefix => (RadosTestCluster.Parameters().GetString("rootdirectory", string.Empty)!.Trim('/') is { Length: > 0 } b ? b + "/" : string.Empty) + _root + "/";

    private List<string> Objects() => _io.ListObjects().Where(o => o.StartsWith(Prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();

    private List<string> DataObjects() => Objects().Where(o => o.StartsWith(Prefix + "data:", StringComparison.Ordinal)).ToList();

    private string XattrText(string oid, string name)
    {
        var buffer = new byte[64];
        return Encoding.ASCII.GetString(buffer, 0, _io.GetXattr(oid, name, buffer));
    }

    private static byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        Random.Shared.NextBytes(bytes);
        return bytes;
    }

    /// <summary>The largest array anyone rents from ArrayPool&lt;byte&gt;.Shared while it listens.</summary>
    private sealed class SharedPoolRentals : EventListener
    {
        private long _largest;

        public long Largest => Interlocked.Read(ref _largest);

        protected override void OnEventSourceCreated(EventSource eventSource)
        {
            if (eventSource.Name == "System.Buffers.ArrayPoolEventSource")
            {
                EnableEvents(eventSource, EventLevel.Verbose);
            }
        }

        protected override void OnEventWritten(EventWrittenEventArgs eventData)
        {
            if (eventData.EventName == "BufferRented" && eventData.Payload is [_, int size, ..])
            {
                long seen;
                while (size > (seen = Interlocked.Read(ref _largest)) && Interlocked.CompareExchange(ref _largest, size, seen) != seen)
                {
                }
            }
        }
    }
}
