namespace Registry.Storage.Conformance;

// Paths: distribution's TestRootExists, TestValidPaths and TestInvalidPaths, plus the
// stricter rule of this contract (no '.' or '..' segment, for every operation).
public abstract partial class StorageDriverConformance
{
    /// <summary>The file paths distribution's TestValidPaths writes and reads back.</summary>
    protected static readonly string[] ValidFilePaths =
    [
        "/a", "/2", "/aa", "/a.a", "/0-9/abcdefg", "/abcdefg/z.75", "/abc/1.2.3.4.5-6_zyx/123.z/4",
        "/docker/docker-registry", "/123.abc", "/abc./abc", "/.abc", "/a--b", "/a-.b", "/_.abc",
        "/Docker/docker-registry", "/Abc/Cba",
    ];

    /// <summary>The file paths distribution's TestInvalidPaths expects to be rejected.</summary>
    protected static readonly string[] InvalidFilePaths = ["", "/", "abc", "123.abc", "//bcd", "/abc_123/"];

    /// <summary>Paths with dot segments, which this contract rejects everywhere (they could climb out of the root).</summary>
    protected static readonly string[] DotSegmentPaths = ["/a/./b", "/a/../b", "/..", "/.", "/a/..", "/../a"];

    /// <summary>TestRootExists: <c>/</c> always lists, even in an empty store.</summary>
    [Test]
    public async Task RootExists()
    {
        var children = await Driver.ListSortedAsync(StoragePath.Root, Ct);
        children.ShouldNotBeNull();
    }

    /// <summary>TestValidPaths: every path distribution accepts can be written and read back.</summary>
    [Test]
    public async Task ValidPaths()
    {
        var contents = TestData.RandomContents(64);
        var cleanups = new List<IAsyncDisposable>();
        try
        {
            foreach (var path in ValidFilePaths)
            {
                cleanups.Add(DeleteAfter(TestData.FirstPart(path)));
                await Driver.PutContentAsync(path, contents, Ct);
                var received = await Driver.GetContentAsync(path, Ct);
                ShouldBeSameBytes(received, contents, path);
            }
        }
        finally
        {
            foreach (var cleanup in cleanups)
            {
                await cleanup.DisposeAsync();
            }
        }
    }

    /// <summary>TestInvalidPaths: PutContent and GetContent reject malformed paths with an InvalidPath error naming the driver.</summary>
    [Test]
    public async Task InvalidPaths()
    {
        var contents = TestData.RandomContents(64);
        foreach (var path in InvalidFilePaths)
        {
            await ShouldFailWithAsync<InvalidPathException>(() => Driver.PutContentAsync(path, contents, Ct), because: $"PutContent \"{path}\"");
            await ShouldFailWithAsync<InvalidPathException>(() => Driver.GetContentAsync(path, Ct), because: $"GetContent \"{path}\"");
        }
    }

    /// <summary>Every operation rejects '.' and '..' segments with InvalidPath, and nothing is written.</summary>
    [Test]
    public async Task DotSegments_AreRejectedByEveryOperation()
    {
        var contents = TestData.RandomContents(8);
        var valid = TestData.RandomPath(16);
        foreach (var path in DotSegmentPaths)
        {
            var operations = new (string Name, Func<Task> Call)[]
            {
                ("PutContent", () => Driver.PutContentAsync(path, contents, Ct)),
                ("GetContent", () => Driver.GetContentAsync(path, Ct)),
                ("Reader", () => Driver.ReaderAsync(path, 0, Ct)),
                ("Writer", () => Driver.WriterAsync(path, append: false, Ct)),
                ("Writer(append)", () => Driver.WriterAsync(path, append: true, Ct)),
                ("Stat", () => Driver.StatAsync(path, Ct)),
                ("List", () => Driver.ListSortedAsync(path, Ct)),
                ("Move(source)", () => Driver.MoveAsync(path, valid, Ct)),
                ("Move(destination)", () => Driver.MoveAsync(valid, path, Ct)),
                ("Delete", () => Driver.DeleteAsync(path, Ct)),
                ("RedirectURL", () => Driver.RedirectUrlAsync(path, RedirectOptions.Get, Ct)),
                ("Walk", () => Driver.WalkToListAsync(path, cancellationToken: Ct)),
            };
            foreach (var (name, call) in operations)
            {
                await ShouldFailWithAsync<InvalidPathException>(call, because: $"{name} \"{path}\"");
            }
        }

        (await Driver.ListSortedAsync(StoragePath.Root, Ct)).ShouldBeEmpty("a rejected path must not leave anything behind");
    }
}
