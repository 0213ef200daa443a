using Registry.Storage.Hosting.Decorators;

namespace Registry.Storage.Host.Tests;

public class ValidatingDriverTests
{
    [TestCase("/a/../b")]
    [TestCase("relative")]
    [TestCase("/a//b")]
    [TestCase("/")]
    public async Task Invalid_file_paths_never_reach_the_driver(string path)
    {
        var tree = new TestTree("s3");
        var driver = new ValidatingDriver(tree);
        (await Should.ThrowAsync<InvalidPathException>(() => driver.GetContentAsync(path))).DriverName.ShouldBe("s3");
        await Should.ThrowAsync<InvalidPathException>(() => driver.PutContentAsync(path, Array.Empty<byte>()));
        await Should.ThrowAsync<InvalidPathException>(() => driver.DeleteAsync(path));
        await Should.ThrowAsync<InvalidPathException>(() => driver.MoveAsync(path, "/ok"));
        await Should.ThrowAsync<InvalidPathException>(() => driver.MoveAsync("/ok", path));
        tree.Calls.ShouldBeEmpty();
    }

    [Test]
    public async Task Root_is_allowed_for_stat_list_and_walk()
    {
        var tree = new TestTree();
        var driver = new ValidatingDriver(tree);
        await driver.StatAsync("/");
        await driver.ListSortedAsync("/");
        await driver.WalkToListAsync("/");
        tree.Calls.ShouldBe(["Stat /", "List /", "Walk /"]);
    }

    [Test]
    public async Task Negative_offsets_are_refused_with_path_and_offset()
    {
        var driver = new ValidatingDriver(new TestTree("gcs"));
        var error = await Should.ThrowAsync<InvalidOffsetException>(() => driver.ReaderAsync("/a", -1));
        error.Message.ShouldBe("gcs: invalid offset -1 for path /a");
    }

    [Test]
    public async Task Foreign_exceptions_are_wrapped_with_driver_operation_and_path()
    {
        var tree = new TestTree("azure") { Failure = new TimeoutException("socket stalled") };
        var error = await Should.ThrowAsync<StorageDriverException>(() => new ValidatingDriver(tree).StatAsync("/a/b"));
        error.Message.ShouldBe("azure: Stat /a/b failed: socket stalled");
        error.InnerException.ShouldBeOfType<TimeoutException>();
        error.IsTransient.ShouldBeTrue();
    }

    [Test]
    public async Task Driver_errors_pass_through_untouched()
    {
        var original = new PathNotFoundException("azure", "/a");
        var tree = new TestTree("azure") { Failure = original };
        (await Should.ThrowAsync<PathNotFoundException>(() => new ValidatingDriver(tree).GetContentAsync("/a"))).ShouldBeSameAs(original);
    }

    [Test]
    public async Task List_errors_during_enumeration_are_named_too()
    {
        var tree = new TestTree("swift") { Failure = new HttpRequestException("connection reset") };
        var error = await Should.ThrowAsync<StorageDriverException>(() => new ValidatingDriver(tree).ListSortedAsync("/x"));
        error.Message.ShouldBe("swift: List /x failed: connection reset");
    }

    [Test]
    public async Task A_visitors_own_exception_comes_back_unwrapped()
    {
        var mine = new FormatException("visitor says no");
        var error = await Should.ThrowAsync<FormatException>(() =>
            new ValidatingDriver(new TestTree()).WalkAsync("/", (_, _) => throw mine));
        error.ShouldBeSameAs(mine);
    }

    [Test]
    public async Task ListUploads_validates_its_path_allows_the_root_and_names_failures()
    {
        var tree = new TestTree("s3");
        var driver = new ValidatingDriver(tree);
        Should.Throw<InvalidPathException>(() => driver.ListUploadsAsync("relative")).DriverName.ShouldBe("s3");
        Should.Throw<InvalidPathException>(() => driver.ListUploadsAsync("/a/../b"));
        tree.Calls.ShouldBeEmpty();

        (await ToListAsync(driver.ListUploadsAsync("/"))).ShouldBe([new PendingUpload("/upload", 7, DateTimeOffset.UnixEpoch)]);
        tree.Calls.ShouldBe(["ListUploads /"]);

        tree.Failure = new HttpRequestException("connection reset");
        var error = await Should.ThrowAsync<StorageDriverException>(() => ToListAsync(driver.ListUploadsAsync("/x")));
        error.Message.ShouldBe("s3: ListUploads /x failed: connection reset");
        error.IsTransient.ShouldBeTrue();
    }

    [Test]
    public async Task A_driver_that_cannot_list_uploads_says_so_unwrapped()
    {
        var driver = new ValidatingDriver(new TestTree("old") { ListsUploads = false });
        var error = await Should.ThrowAsync<UnsupportedMethodException>(() => ToListAsync(driver.ListUploadsAsync("/")));
        error.DriverName.ShouldBe("old");
        error.Method.ShouldBe("ListUploads");
    }

    private static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (var item in items)
        {
            list.Add(item);
        }

        return list;
    }
}
