using System.Text;
using Registry.Storage.Drivers.Filesystem;

namespace Registry.Storage.Drivers.Filesystem.Tests;

/// <summary>Behaviour specific to the filesystem driver: layout, hidden uploads, durability steps, and containment in the root.</summary>
public class FilesystemDriverTests
{
    private string _sandbox = null!;
    private string _root = null!;
    private string _outside = null!;
    private FilesystemDriver _driver = null!;

    [SetUp]
    public void CreateSandbox()
    {
        _sandbox = Path.Combine(Path.GetTempPath(), "regstore-fs-tests-" + Guid.NewGuid().ToString("N")[..12]);
        _root = Path.Combine(_sandbox, "root");
        _outside = Path.Combine(_sandbox, "outside");
        Directory.CreateDirectory(_root);
        Directory.CreateDirectory(_outside);
        File.WriteAllText(Path.Combine(_outside, "secret"), "outside data");
        _driver = new FilesystemDriver(new FilesystemParameters(_root, 25));
    }

    [TearDown]
    public void RemoveSandbox()
    {
        _driver.Dispose();
        Directory.Delete(_sandbox, recursive: true);
    }

    private static byte[] Bytes(string s) => Encoding.UTF8.GetBytes(s);

    [Test]
    public async Task A_path_is_the_file_of_the_same_name_under_the_root_as_in_distribution()
    {
        await _driver.PutContentAsync("/docker/registry/v2/blobs/data", Bytes("blob"));
        File.ReadAllText(Path.Combine(_root, "docker/registry/v2/blobs/data")).ShouldBe("blob");

        // An existing registry folder works unchanged.
        Directory.CreateDirectory(Path.Combine(_root, "existing/repo"));
        File.WriteAllText(Path.Combine(_root, "existing/repo/link"), "sha256:abc");
        (await _driver.GetContentAsync("/existing/repo/link")).ShouldBe(Bytes("sha256:abc"));
        (await _driver.ListSortedAsync("/")).ShouldBe(["/docker", "/existing"]);
    }

    [Test]
    public async Task An_upload_lives_in_a_hidden_sibling_until_commit_and_is_never_listed_or_walked()
    {
        var writer = await _driver.WriterAsync("/up/data", append: false);
        await writer.WriteAsync(Bytes("partial"));
        await writer.DisposeAsync();

        File.Exists(Path.Combine(_root, "up/data~upload")).ShouldBeTrue();
        File.Exists(Path.Combine(_root, "up/data")).ShouldBeFalse();
        (await _driver.ListSortedAsync("/up")).ShouldBeEmpty();
        (await _driver.WalkToListAsync("/")).Select(e => e.Path).ShouldBe(["/up"]);
        await Should.ThrowAsync<PathNotFoundException>(() => _driver.StatAsync("/up/data"));

        var resumed = await _driver.WriterAsync("/up/data", append: true);
        await using (resumed)
        {
            resumed.Size.ShouldBe(7);
            await resumed.WriteAsync(Bytes(" done"));
            await resumed.CommitAsync();
        }

        File.ReadAllText(Path.Combine(_root, "up/data")).ShouldBe("partial done");
        File.Exists(Path.Combine(_root, "up/data~upload")).ShouldBeFalse();
    }

    [Test]
    public async Task Cancel_removes_the_upload_file_and_leaves_committed_content_alone()
    {
        await _driver.PutContentAsync("/f", Bytes("committed"));
        var writer = await _driver.WriterAsync("/f", append: false);
        await writer.WriteAsync(Bytes("replacement"));
        await writer.CancelAsync();
        await writer.DisposeAsync();

        Directory.GetFiles(_root).Select(Path.GetFileName).ShouldBe(["f"]);
        (await _driver.GetContentAsync("/f")).ShouldBe(Bytes("committed"));
    }

    [Test]
    public async Task Delete_of_a_file_also_removes_its_upload_and_spares_prefix_siblings()
    {
        await _driver.PutContentAsync("/a/b", Bytes("1"));
        await _driver.PutContentAsync("/a/bc", Bytes("2"));
        var writer = await _driver.WriterAsync("/a/b", append: false);
        await writer.WriteAsync(Bytes("x"));
        await writer.DisposeAsync();

        await _driver.DeleteAsync("/a/b");

        Directory.GetFiles(Path.Combine(_root, "a")).Select(Path.GetFileName).ShouldBe(["bc"]);
    }

    [Test]
    public async Task Pending_uploads_are_the_hidden_upload_files_and_never_a_temp_file_a_link_or_a_foreign_name()
    {
        await using (var writer = await _driver.WriterAsync("/repo/_uploads/u1/data", append: false))
        {
            await writer.WriteAsync(Bytes("12345"));
        }

        // What a put killed before its writer closed leaves: the upload file as far as it got.
        File.WriteAllText(Path.Combine(_root, "killed~upload"), "abc");
        File.WriteAllText(Path.Combine(_root, "repo", "x~0123456789abcdef.tmp"), "put content's temp file");
        File.WriteAllText(Path.Combine(_root, "repo", "bad name~upload"), "no storage path names this");
        File.CreateSymbolicLink(Path.Combine(_root, "repo", "linked~upload"), Path.Combine(_outside, "secret"));
        Directory.CreateSymbolicLink(Path.Combine(_root, "outside-dir"), _outside);
        File.WriteAllText(Path.Combine(_outside, "far~upload"), "outside the root");
        File.SetLastWriteTimeUtc(Path.Combine(_root, "killed~upload"), new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc));

        var all = new List<PendingUpload>();
        await foreach (var upload in _driver.ListUploadsAsync("/"))
        {
            all.Add(upload);
        }

        all.OrderBy(u => u.Path, StringComparer.Ordinal).Select(u => (u.Path, u.Size)).ShouldBe([("/killed", 3L), ("/repo/_uploads/u1/data", 5L)]);
        all.Single(u => u.Path == "/killed").LastModified.ShouldBe(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));

        (await _driver.DiscardUploadAsync("/killed")).ShouldBe(3);
        File.Exists(Path.Combine(_root, "killed~upload")).ShouldBeFalse("discarding removes the staging file");
    }

    [Test]
    public async Task Moving_a_link_to_a_directory_is_refused_as_a_directory_and_moves_nothing()
    {
        await _driver.PutContentAsync("/d/inner", Bytes("1"));
        File.CreateSymbolicLink(Path.Combine(_root, "alias"), Path.Combine(_root, "d"));

        (await Should.ThrowAsync<PathNotFoundException>(() => _driver.MoveAsync("/alias", "/moved"))).Path.ShouldBe("/alias");

        Path.Exists(Path.Combine(_root, "moved")).ShouldBeFalse();
        (await _driver.GetContentAsync("/alias/inner")).ShouldBe(Bytes("1"));
    }

    [Test]
    public async Task Put_content_leaves_no_temp_file_and_is_visible_only_as_a_whole()
    {
        await _driver.PutContentAsync("/p", Bytes("one"));
        await _driver.PutContentAsync("/p", Bytes("two, longer"));
        Directory.GetFiles(_root).Select(Path.GetFileName).ShouldBe(["p"]);
        (await _driver.GetContentAsync("/p")).ShouldBe(Bytes("two, longer"));
    }

    [Test]
    public async Task Empty_parent_folders_stay_after_the_last_file_is_deleted_as_in_distribution()
    {
        await _driver.PutContentAsync("/x/y/z", Bytes("1"));
        await _driver.DeleteAsync("/x/y/z");
        Directory.Exists(Path.Combine(_root, "x/y")).ShouldBeTrue();
        (await _driver.StatAsync("/x/y")).IsDirectory.ShouldBeTrue();
    }

    [Test]
    public async Task A_list_names_links_inside_the_root_as_what_they_reach_and_hides_escaping_and_dangling_ones()
    {
        await _driver.PutContentAsync("/dir/plain", Bytes("1"));
        await _driver.PutContentAsync("/dir/sub/inner", Bytes("2"));
        File.CreateSymbolicLink(Path.Combine(_root, "dir", "to-file"), Path.Combine(_root, "dir", "plain"));
        Directory.CreateSymbolicLink(Path.Combine(_root, "dir", "to-sub"), Path.Combine(_root, "dir", "sub"));
        File.CreateSymbolicLink(Path.Combine(_root, "dir", "to-outside"), Path.Combine(_outside, "secret"));
        File.CreateSymbolicLink(Path.Combine(_root, "dir", "dangling"), Path.Combine(_root, "dir", "nothing-here"));
        File.WriteAllText(Path.Combine(_root, "dir", "plain~upload"), "an upload");

        var listed = await _driver.ListAsync("/dir").ToListAsync();

        listed.Order(StringComparer.Ordinal).ShouldBe(["/dir/plain", "/dir/sub", "/dir/to-file", "/dir/to-sub"]);
        (await _driver.GetContentAsync("/dir/to-sub/inner")).ShouldBe(Bytes("2"));
    }

    [Test]
    public async Task A_walk_reports_each_entry_with_the_size_time_and_kind_stat_gives_it()
    {
        await _driver.PutContentAsync("/w/a", Bytes("12345"));
        await _driver.PutContentAsync("/w/sub/b", Bytes("1234567890"));
        await _driver.PutContentAsync("/w/empty", Bytes(""));
        File.SetLastWriteTimeUtc(Path.Combine(_root, "w", "a"), new DateTime(2020, 2, 3, 4, 5, 6, 789, DateTimeKind.Utc).AddTicks(1234));
        File.CreateSymbolicLink(Path.Combine(_root, "w", "to-b"), Path.Combine(_root, "w", "sub", "b"));
        Directory.CreateSymbolicLink(Path.Combine(_root, "w", "to-sub"), Path.Combine(_root, "w", "sub"));

        var walked = await _driver.WalkToListAsync("/w");

        walked.Select(e => e.Path).Order(StringComparer.Ordinal).ShouldBe(["/w/a", "/w/empty", "/w/sub", "/w/sub/b", "/w/to-b", "/w/to-sub", "/w/to-sub/b"]);
        foreach (var entry in walked)
        {
            var stat = await _driver.StatAsync(entry.Path);
            entry.IsDirectory.ShouldBe(stat.IsDirectory, entry.Path);
            entry.Size.ShouldBe(stat.Size, entry.Path);
            entry.ModTime.ShouldBe(stat.ModTime, entry.Path);
        }

        walked.Single(e => e.Path == "/w/a").ModTime.ShouldBe(new DateTimeOffset(2020, 2, 3, 4, 5, 6, 789, TimeSpan.Zero).AddTicks(1234));
        walked.Single(e => e.Path == "/w/to-b").Size.ShouldBe(10, "a link is reported as the file it reaches");
    }

    [Test]
    public async Task Deleting_a_wide_deep_tree_removes_it_all_and_only_unlinks_the_links_inside()
    {
        for (var d = 0; d < 20; d++)
        {
            for (var f = 0; f < 10; f++)
            {
                await _driver.PutContentAsync($"/tree/d{d}/sub/f{f}", Bytes("x"));
            }
        }

        await _driver.PutContentAsync("/tree-sibling/kept", Bytes("kept"));
        Directory.CreateSymbolicLink(Path.Combine(_root, "tree", "d3", "to-outside"), _outside);
        File.CreateSymbolicLink(Path.Combine(_root, "tree", "d7", "sub", "secret-link"), Path.Combine(_outside, "secret"));
        File.WriteAllText(Path.Combine(_root, "tree", "d9", "f~upload"), "an upload");

        await _driver.DeleteAsync("/tree");

        Directory.Exists(Path.Combine(_root, "tree")).ShouldBeFalse();
        File.ReadAllText(Path.Combine(_outside, "secret")).ShouldBe("outside data", "links are unlinked, never followed");
        Directory.GetFileSystemEntries(_outside).Length.ShouldBe(1);
        (await _driver.GetContentAsync("/tree-sibling/kept")).ShouldBe(Bytes("kept"));
    }

    [Test]
    public async Task Reads_writes_and_lists_through_a_planted_directory_link_to_outside_the_root_are_refused()
    {
        File.CreateSymbolicLink(Path.Combine(_root, "escape"), _outside);

        (await Should.ThrowAsync<StorageDriverException>(() => _driver.GetContentAsync("/escape/secret"))).Path.ShouldBe("/escape/secret");
        await Should.ThrowAsync<StorageDriverException>(() => _driver.ReaderAsync("/escape/secret", 0));
        await Should.ThrowAsync<StorageDriverException>(() => _driver.StatAsync("/escape/secret"));
        await Should.ThrowAsync<StorageDriverException>(() => _driver.PutContentAsync("/escape/new", Bytes("x")));
        await Should.ThrowAsync<StorageDriverException>(() => _driver.WriterAsync("/escape/new", append: false));
        await Should.ThrowAsync<StorageDriverException>(() => _driver.MoveAsync("/escape/secret", "/stolen"));
        await Should.ThrowAsync<StorageDriverException>(async () => await _driver.ListAsync("/escape").ToListAsync());

        File.Exists(Path.Combine(_outside, "new")).ShouldBeFalse();
        File.ReadAllText(Path.Combine(_outside, "secret")).ShouldBe("outside data");
    }

    [Test]
    public async Task A_planted_file_link_to_outside_is_neither_read_nor_written_through()
    {
        File.CreateSymbolicLink(Path.Combine(_root, "leak"), Path.Combine(_outside, "secret"));

        await Should.ThrowAsync<StorageDriverException>(() => _driver.GetContentAsync("/leak"));
        await Should.ThrowAsync<StorageDriverException>(() => _driver.WriterAsync("/leak", append: false));

        // PutContent renames over the link itself: the outside file is untouched.
        await _driver.PutContentAsync("/leak", Bytes("inside"));
        (await _driver.GetContentAsync("/leak")).ShouldBe(Bytes("inside"));
        File.ReadAllText(Path.Combine(_outside, "secret")).ShouldBe("outside data");
    }

    [Test]
    public async Task A_relative_link_climbing_out_of_the_root_is_refused()
    {
        File.CreateSymbolicLink(Path.Combine(_root, "up"), "../outside");
        await Should.ThrowAsync<StorageDriverException>(() => _driver.GetContentAsync("/up/secret"));
    }

    [Test]
    public async Task A_link_loop_is_refused_rather_than_followed_forever()
    {
        File.CreateSymbolicLink(Path.Combine(_root, "loop1"), Path.Combine(_root, "loop2"));
        File.CreateSymbolicLink(Path.Combine(_root, "loop2"), Path.Combine(_root, "loop1"));
        await Should.ThrowAsync<StorageDriverException>(() => _driver.GetContentAsync("/loop1/x"));
    }

    [Test]
    public async Task Links_that_stay_inside_the_root_are_followed()
    {
        await _driver.PutContentAsync("/real/dir/file", Bytes("inside"));
        File.CreateSymbolicLink(Path.Combine(_root, "alias"), "real/dir");
        Directory.CreateDirectory(Path.Combine(_root, "nested"));
        File.CreateSymbolicLink(Path.Combine(_root, "nested/back"), "../real");

        (await _driver.GetContentAsync("/alias/file")).ShouldBe(Bytes("inside"));
        (await _driver.GetContentAsync("/nested/back/dir/file")).ShouldBe(Bytes("inside"));
        (await _driver.ListSortedAsync("/alias")).ShouldBe(["/alias/file"]);
    }

    [Test]
    public async Task List_and_walk_hide_links_that_lead_outside_and_show_the_rest()
    {
        await _driver.PutContentAsync("/d/kept", Bytes("1"));
        File.CreateSymbolicLink(Path.Combine(_root, "d/escape"), _outside);
        File.CreateSymbolicLink(Path.Combine(_root, "d/inner"), Path.Combine(_root, "d/kept"));

        (await _driver.ListSortedAsync("/d")).ShouldBe(["/d/inner", "/d/kept"]);
        var walked = await _driver.WalkToListAsync("/");
        walked.Select(e => e.Path).ShouldBe(["/d", "/d/inner", "/d/kept"]);
        walked.Single(e => e.Path == "/d/inner").Size.ShouldBe(1);
    }

    [Test]
    public async Task Deleting_a_folder_holding_a_link_to_outside_removes_the_link_not_its_target()
    {
        await _driver.PutContentAsync("/d/kept", Bytes("1"));
        File.CreateSymbolicLink(Path.Combine(_root, "d/escape"), _outside);

        await _driver.DeleteAsync("/d");

        Directory.Exists(Path.Combine(_root, "d")).ShouldBeFalse();
        File.ReadAllText(Path.Combine(_outside, "secret")).ShouldBe("outside data");
    }

    [Test]
    public async Task Deleting_a_link_to_outside_unlinks_it_without_touching_the_target()
    {
        File.CreateSymbolicLink(Path.Combine(_root, "escape"), _outside);
        await _driver.DeleteAsync("/escape");
        File.Exists(Path.Combine(_root, "escape")).ShouldBeFalse();
        Directory.Exists(Path.Combine(_root, "escape")).ShouldBeFalse();
        File.ReadAllText(Path.Combine(_outside, "secret")).ShouldBe("outside data");
    }

    [Test]
    public async Task A_planted_link_in_place_of_an_upload_file_is_replaced_not_written_through()
    {
        Directory.CreateDirectory(Path.Combine(_root, "u"));
        var planted = Path.Combine(_root, "u/data~upload");
        File.CreateSymbolicLink(planted, Path.Combine(_outside, "secret"));

        // A planted link is no upload of ours: nothing to resume, and the link is gone.
        await Should.ThrowAsync<PathNotFoundException>(() => _driver.WriterAsync("/u/data", append: true));
        File.Exists(planted).ShouldBeFalse();

        File.CreateSymbolicLink(planted, Path.Combine(_outside, "secret"));
        var writer = await _driver.WriterAsync("/u/data", append: false);
        await using (writer)
        {
            writer.Size.ShouldBe(0);
            await writer.WriteAsync(Bytes("mine"));
            await writer.CommitAsync();
        }

        (await _driver.GetContentAsync("/u/data")).ShouldBe(Bytes("mine"));
        File.ReadAllText(Path.Combine(_outside, "secret")).ShouldBe("outside data");
    }

    [TestCase("/../outside/secret")]
    [TestCase("/a/../../outside/secret")]
    [TestCase("/./secret")]
    public async Task Dot_segments_are_rejected_before_touching_the_disk(string path)
    {
        (await Should.ThrowAsync<InvalidPathException>(() => _driver.GetContentAsync(path))).DriverName.ShouldBe("filesystem");
        await Should.ThrowAsync<InvalidPathException>(() => _driver.PutContentAsync(path, Bytes("x")));
        File.ReadAllText(Path.Combine(_outside, "secret")).ShouldBe("outside data");
    }

    [Test]
    public async Task Root_below_a_linked_folder_still_works_and_links_into_its_real_location_count_as_inside()
    {
        var linkedRoot = Path.Combine(_sandbox, "linked-root");
        File.CreateSymbolicLink(linkedRoot, _root);
        using var driver = new FilesystemDriver(new FilesystemParameters(linkedRoot, 25));
        await driver.PutContentAsync("/real/file", Bytes("x"));
        File.CreateSymbolicLink(Path.Combine(_root, "abs"), Path.Combine(_root, "real"));

        (await driver.GetContentAsync("/abs/file")).ShouldBe(Bytes("x"));
    }

    [Test]
    public async Task Root_of_a_missing_root_folder_lists_nothing_and_stats_as_a_directory_and_writing_creates_it()
    {
        using var driver = new FilesystemDriver(new FilesystemParameters(Path.Combine(_sandbox, "not-yet"), 25));
        (await driver.ListSortedAsync("/")).ShouldBeEmpty();
        (await driver.StatAsync("/")).IsDirectory.ShouldBeTrue();
        await driver.PutContentAsync("/a", Bytes("1"));
        (await driver.ListSortedAsync("/")).ShouldBe(["/a"]);
    }

    [Test]
    public async Task Concurrent_readers_see_either_the_old_or_the_new_content_of_a_rewritten_file_never_a_mix()
    {
        var first = new byte[1 << 20];
        var second = new byte[1 << 19];
        Array.Fill(first, (byte)'a');
        Array.Fill(second, (byte)'b');
        await _driver.PutContentAsync("/atomic", first);

        var writes = Task.Run(async () =>
        {
            for (var i = 0; i < 40; i++)
            {
                await _driver.PutContentAsync("/atomic", i % 2 == 0 ? second : first);
            }
        });

        var reads = 0;
        while (!writes.IsCompleted)
        {
            var seen = await _driver.GetContentAsync("/atomic");
            (seen.SequenceEqual(first) || seen.SequenceEqual(second)).ShouldBeTrue($"read {seen.Length} bytes that are neither version");
            reads++;
        }

        await writes;
        reads.ShouldBeGreaterThan(0);
    }
}
