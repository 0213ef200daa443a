using System.Security.Cryptography;
using Microsoft.Extensions.Time.Testing;
using Registry.Storage.Drivers.InMemory;

namespace Registry.Storage.Drivers.InMemory.Tests;

public class InMemoryDriverTests
{
    private static InMemoryDriver Create(string? root = null, string? store = null, TimeProvider? clock = null) =>
        new(new InMemoryParameters(root ?? "", store), clock);

    private static async Task<byte[]> ReadAllAsync(InMemoryDriver driver, string path, long offset = 0)
    {
        await using var reader = await driver.ReaderAsync(path, offset);
        using var copy = new MemoryStream();
        await reader.CopyToAsync(copy);
        return copy.ToArray();
    }

    [Test]
    public async Task Content_spanning_many_chunks_reads_back_identically_from_any_offset()
    {
        var driver = Create();
        var data = RandomNumberGenerator.GetBytes(3 * ChunkedContent.ChunkSize + 12345);
        await using (var writer = await driver.WriterAsync("/big", append: false))
        {
            // Odd-sized writes cross chunk boundaries at varying places.
            for (var offset = 0; offset < data.Length; offset += 777_777)
            {
                await writer.WriteAsync(data.AsMemory(offset, Math.Min(777_777, data.Length - offset)));
            }

            await writer.CommitAsync();
        }

        (await ReadAllAsync(driver, "/big")).ShouldBe(data);
        (await ReadAllAsync(driver, "/big", ChunkedContent.ChunkSize - 1)).ShouldBe(data[(ChunkedContent.ChunkSize - 1)..]);
        (await ReadAllAsync(driver, "/big", data.Length)).ShouldBeEmpty();
        (await ReadAllAsync(driver, "/big", data.Length + 10)).ShouldBeEmpty();
        (await driver.StatAsync("/big")).Size.ShouldBe(data.Length);
    }

    [Test]
    public async Task Drivers_naming_the_same_store_see_each_others_data_and_private_stores_do_not()
    {
        var store = "shared-" + Guid.NewGuid().ToString("N");
        await Create(store: store).PutContentAsync("/a", "x"u8.ToArray());

        (await Create(store: store).GetContentAsync("/a")).ShouldBe("x"u8.ToArray());
        await Should.ThrowAsync<PathNotFoundException>(() => Create().GetContentAsync("/a"));
        await Should.ThrowAsync<PathNotFoundException>(() => Create(store: store + "-other").GetContentAsync("/a"));
    }

    [Test]
    public async Task Rootdirectory_isolates_drivers_on_one_store()
    {
        var store = "roots-" + Guid.NewGuid().ToString("N");
        var one = Create("/one", store);
        var two = Create("/two", store);
        var whole = Create(store: store);
        await one.PutContentAsync("/f", "1"u8.ToArray());
        await two.PutContentAsync("/f", "2"u8.ToArray());

        (await one.GetContentAsync("/f")).ShouldBe("1"u8.ToArray());
        (await two.GetContentAsync("/f")).ShouldBe("2"u8.ToArray());
        (await whole.ListSortedAsync("/")).ShouldBe(["/one", "/two"]);
        (await one.ListSortedAsync("/")).ShouldBe(["/f"]);
        (await one.WalkToListAsync("/")).Select(e => e.Path).ShouldBe(["/f"]);
    }

    [Test]
    public async Task Upload_left_by_a_disposed_writer_resumes_in_a_new_driver_on_the_same_store_and_stays_invisible()
    {
        var store = "resume-" + Guid.NewGuid().ToString("N");
        await using (var first = await Create("/r", store).WriterAsync("/up", append: false))
        {
            await first.WriteAsync("hello "u8.ToArray());
        }

        var driver = Create("/r", store);
        await Should.ThrowAsync<PathNotFoundException>(() => driver.StatAsync("/up"));
        (await driver.ListSortedAsync("/")).ShouldBeEmpty();

        await using var resumed = await driver.WriterAsync("/up", append: true);
        resumed.Size.ShouldBe(6);
        await resumed.WriteAsync("world"u8.ToArray());
        await resumed.CommitAsync();
        (await driver.GetContentAsync("/up")).ShouldBe("hello world"u8.ToArray());
    }

    [Test]
    public async Task Committed_content_stays_unchanged_for_an_open_reader_when_the_path_is_rewritten()
    {
        var driver = Create();
        await driver.PutContentAsync("/f", "old content"u8.ToArray());
        await using var reader = await driver.ReaderAsync("/f", 0);
        await driver.PutContentAsync("/f", "NEW"u8.ToArray());

        using var copy = new MemoryStream();
        await reader.CopyToAsync(copy);
        copy.ToArray().ShouldBe("old content"u8.ToArray());
        (await driver.GetContentAsync("/f")).ShouldBe("NEW"u8.ToArray());
    }

    [Test]
    public async Task Writer_whose_upload_was_replaced_by_a_new_writer_fails_instead_of_losing_data_silently()
    {
        var driver = Create();
        await using var stale = await driver.WriterAsync("/f", append: false);
        await stale.WriteAsync("a"u8.ToArray());
        await using var fresh = await driver.WriterAsync("/f", append: false);

        var error = await Should.ThrowAsync<StorageDriverException>(async () => await stale.WriteAsync("b"u8.ToArray()));
        error.Path.ShouldBe("/f");
        await fresh.WriteAsync("c"u8.ToArray());
        await fresh.CommitAsync();
        (await driver.GetContentAsync("/f")).ShouldBe("c"u8.ToArray());
    }

    [Test]
    public async Task A_file_cannot_be_stored_under_a_file_or_over_a_directory()
    {
        var driver = Create();
        await driver.PutContentAsync("/a/b", "x"u8.ToArray());

        (await Should.ThrowAsync<StorageDriverException>(() => driver.PutContentAsync("/a/b/c", "y"u8.ToArray()))).Path.ShouldBe("/a/b/c");
        (await Should.ThrowAsync<StorageDriverException>(() => driver.PutContentAsync("/a", "y"u8.ToArray()))).Path.ShouldBe("/a");
        (await driver.GetContentAsync("/a/b")).ShouldBe("x"u8.ToArray());
    }

    [Test]
    public async Task Moving_a_directory_is_path_not_found_and_moves_nothing()
    {
        var driver = Create();
        await driver.PutContentAsync("/src/d/x", "1"u8.ToArray());
        await driver.PutContentAsync("/src/d/e/y", "2"u8.ToArray());

        (await Should.ThrowAsync<PathNotFoundException>(() => driver.MoveAsync("/src/d", "/dst/d2"))).Path.ShouldBe("/src/d");

        (await driver.GetContentAsync("/src/d/x")).ShouldBe("1"u8.ToArray());
        (await driver.GetContentAsync("/src/d/e/y")).ShouldBe("2"u8.ToArray());
        (await driver.ListSortedAsync("/")).ShouldBe(["/src"]);
    }

    [Test]
    public async Task Resumable_writes_are_declared_for_a_named_store_only_and_a_private_store_still_resumes_in_the_same_driver()
    {
        Create(store: "declared-" + Guid.NewGuid().ToString("N")).Capabilities.ResumableWrites.ShouldBeTrue();
        var driver = Create();
        driver.Capabilities.ResumableWrites.ShouldBeFalse("a private store goes with its driver: nothing survives the instance");

        await using (var first = await driver.WriterAsync("/up", append: false))
        {
            await first.WriteAsync("hello"u8.ToArray());
        }

        await using var resumed = await driver.WriterAsync("/up", append: true);
        resumed.Size.ShouldBe(5, "the registry resumes uploads in the same driver instance");
        await Should.ThrowAsync<PathNotFoundException>(() => Create().WriterAsync("/up", append: true));
    }

    [Test]
    public async Task Delete_removes_uploads_below_the_path_but_not_those_of_a_prefix_sibling()
    {
        var driver = Create();
        await driver.PutContentAsync("/a/b/started", "t"u8.ToArray());
        await using (var upload = await driver.WriterAsync("/a/b/data", append: false))
        {
            await upload.WriteAsync("partial"u8.ToArray());
        }

        await using (var sibling = await driver.WriterAsync("/a/bc/data", append: false))
        {
            await sibling.WriteAsync("keep"u8.ToArray());
        }

        await driver.DeleteAsync("/a/b");

        (await Should.ThrowAsync<PathNotFoundException>(() => driver.WriterAsync("/a/b/data", append: true))).Path.ShouldBe("/a/b/data");
        (await driver.WriterAsync("/a/bc/data", append: true)).Size.ShouldBe(4);
    }

    [Test]
    public async Task Directory_mod_time_is_the_time_of_the_last_change_below_it()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var driver = Create(clock: clock);
        await driver.PutContentAsync("/d/a", "1"u8.ToArray());
        clock.Advance(TimeSpan.FromMinutes(5));
        await driver.PutContentAsync("/d/b", "2"u8.ToArray());

        var stat = await driver.StatAsync("/d");
        stat.IsDirectory.ShouldBeTrue();
        stat.Size.ShouldBe(0);
        stat.ModTime.ShouldBe(clock.GetUtcNow());
        (await driver.StatAsync("/d/a")).ModTime.ShouldBe(clock.GetUtcNow() - TimeSpan.FromMinutes(5));
    }

    [Test]
    public async Task Walk_visits_in_walk_key_order_and_resumes_after_a_hint()
    {
        var driver = Create();
        foreach (var path in new[] { "/a/b", "/a-x", "/a/c/d", "/b" })
        {
            await driver.PutContentAsync(path, "x"u8.ToArray());
        }

        (await driver.WalkToListAsync("/")).Select(StoragePath.WalkKey)
            .ShouldBe(["/a-x", "/a/", "/a/b", "/a/c/", "/a/c/d", "/b"]);
        (await driver.WalkToListAsync("/", new WalkOptions { StartAfterHint = "/a/b" })).Select(StoragePath.WalkKey)
            .ShouldBe(["/a/c/", "/a/c/d", "/b"]);
        (await driver.WalkToListAsync("/a")).Select(StoragePath.WalkKey).ShouldBe(["/a/b", "/a/c/", "/a/c/d"]);
    }

    [Test]
    public async Task Concurrent_writers_on_distinct_paths_all_commit_their_own_content()
    {
        var driver = Create();
        var contents = Enumerable.Range(0, 32).Select(_ => RandomNumberGenerator.GetBytes(100_000)).ToArray();

        await Task.WhenAll(contents.Select((content, i) => Task.Run(async () =>
        {
            await using var writer = await driver.WriterAsync($"/c/{i}", append: false);
            for (var offset = 0; offset < content.Length; offset += 1000)
            {
                await writer.WriteAsync(content.AsMemory(offset, 1000));
            }

            await writer.CommitAsync();
        })));

        for (var i = 0; i < contents.Length; i++)
        {
            (await driver.GetContentAsync($"/c/{i}")).ShouldBe(contents[i]);
        }
    }
}
