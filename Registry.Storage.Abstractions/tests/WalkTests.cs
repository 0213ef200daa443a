using Registry.Storage.Kit;

namespace Registry.Storage.Tests;

/// <summary>The walk engines agree with each other and with the contract's order, hint and skip rules.</summary>
public class WalkTests
{
    private static readonly string[] Files =
    [
        "/file1", "/folder1/file1", "/folder1-suffix/file1", "/folder2/file1",
        "/folder3/subfolder1/subfolder1/file1", "/folder3/subfolder2/subfolder1/file1",
    ];

    private static readonly string[] ExpectedAll =
    [
        "/file1", "/folder1-suffix", "/folder1-suffix/file1", "/folder1", "/folder1/file1", "/folder2", "/folder2/file1",
        "/folder3", "/folder3/subfolder1", "/folder3/subfolder1/subfolder1", "/folder3/subfolder1/subfolder1/file1",
        "/folder3/subfolder2", "/folder3/subfolder2/subfolder1", "/folder3/subfolder2/subfolder1/file1",
    ];

    public static IEnumerable<string> Engines => ["fallback", "flat", "directory", "directory-ahead"];

    [TestCaseSource(nameof(Engines))]
    public async Task Walks_everything_in_walk_order(string engine) =>
        (await WalkAsync(engine, "/", null, _ => WalkDecision.Continue)).ShouldBe(ExpectedAll);

    [TestCaseSource(nameof(Engines))]
    public async Task Skipping_a_directory_never_skips_a_sibling_sharing_its_prefix(string engine) =>
        (await WalkAsync(engine, "/", null, e => e.Path == "/folder1" ? WalkDecision.SkipDirectory : WalkDecision.Continue))
            .ShouldBe(ExpectedAll.Where(p => !p.StartsWith("/folder1/", StringComparison.Ordinal)));

    [TestCaseSource(nameof(Engines))]
    public async Task Stop_ends_the_walk_after_the_current_entry(string engine) =>
        (await WalkAsync(engine, "/", null, e => e.Path == "/folder1-suffix/file1" ? WalkDecision.Stop : WalkDecision.Continue))
            .ShouldBe(["/file1", "/folder1-suffix", "/folder1-suffix/file1"]);

    [TestCase("fallback", "/folder3/subfolder1/subfolder1/file1")]
    [TestCase("flat", "/folder3/subfolder1/subfolder1/file1")]
    [TestCase("fallback", "/folder1")]
    [TestCase("flat", "/folder1")]
    [TestCase("fallback", "/folder3/notafolder/notafile")]
    [TestCase("flat", "/folder3/notafolder/notafile")]
    [TestCase("directory", "/folder3/subfolder1/subfolder1/file1")]
    [TestCase("directory", "/folder1")]
    [TestCase("directory", "/folder3/notafolder/notafile")]
    [TestCase("directory-ahead", "/folder3/subfolder1/subfolder1/file1")]
    [TestCase("directory-ahead", "/folder1")]
    [TestCase("directory-ahead", "/folder3/notafolder/notafile")]
    [TestCase("directory", "/folder1-suffix/file1")]
    public async Task Start_after_hint_reports_only_later_entries(string engine, string hint)
    {
        var walked = await WalkAsync(engine, "/", hint, _ => WalkDecision.Continue);
        walked.ShouldBe(ExpectedAll.Where(p => string.CompareOrdinal(KeyOf(p), hint) > 0));
    }

    [TestCaseSource(nameof(Engines))]
    public async Task Walk_from_a_folder_reports_only_below_it(string engine) =>
        (await WalkAsync(engine, "/folder3/subfolder2", null, _ => WalkDecision.Continue))
            .ShouldBe(["/folder3/subfolder2/subfolder1", "/folder3/subfolder2/subfolder1/file1"]);

    [Test]
    public async Task Flat_walk_refuses_files_out_of_order()
    {
        var walk = new FlatWalk("/", (_, _) => ValueTask.FromResult(WalkDecision.Continue), null);
        await walk.AddFileAsync(StorageFileInfo.File("/b", 1, default), CancellationToken.None);
        await Should.ThrowAsync<InvalidOperationException>(async () => await walk.AddFileAsync(StorageFileInfo.File("/a", 1, default), CancellationToken.None));
    }

    private static string KeyOf(string path) => ExpectedAll.Contains(path) && !Files.Contains(path) ? path + "/" : path;

    private static async Task<List<string>> WalkAsync(string engine, string from, string? hint, Func<StorageFileInfo, WalkDecision> decide)
    {
        var walked = new List<string>();
        WalkVisitor visitor = (entry, _) =>
        {
            walked.Add(entry.Path);
            return ValueTask.FromResult(decide(entry));
        };
        var options = new WalkOptions { StartAfterHint = hint };
        if (engine == "fallback")
        {
            await WalkFallback.WalkAsync(new ListStatTree(Files), from, visitor, options, CancellationToken.None);
        }
        else if (engine is "directory" or "directory-ahead")
        {
            // a lister that has the infos at hand and ignores the hint: the walk prunes alone
            var tree = new ListStatTree(Files);
            await DirectoryWalk.WalkAsync(from, async (directory, _, ct) =>
            {
                var children = new List<StorageFileInfo>();
                await foreach (var child in tree.ListAsync(directory, ct))
                {
                    children.Add(await tree.StatAsync(child, ct));
                }

                return children;
            }, visitor, options, listingsAhead: engine == "directory-ahead" ? 3 : 0, CancellationToken.None);
        }
        else
        {
            var walk = new FlatWalk(from, visitor, options);
            foreach (var file in Files.Where(f => StoragePath.IsSameOrDescendant(f, from) && f != from).Order(StringComparer.Ordinal))
            {
                if (!await walk.AddFileAsync(StorageFileInfo.File(file, 1, default), CancellationToken.None))
                {
                    break;
                }
            }
        }

        return walked;
    }

    /// <summary>A read-only tree answering List and Stat, so the fallback's traversal logic can be checked in isolation.</summary>
    private sealed class ListStatTree(IEnumerable<string> files) : IStorageDriver
    {
        private readonly HashSet<string> _files = [.. files];

        public string Name => "tree";

        public DriverCapabilities Capabilities => DriverCapabilities.Minimal;

        public async IAsyncEnumerable<string> ListAsync(string path, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            await Task.Yield();
            var children = _files.Where(f => f != path && StoragePath.IsSameOrDescendant(f, path))
                .Select(f => path == "/" ? "/" + f[1..].Split('/')[0] : path + "/" + f[(path.Length + 1)..].Split('/')[0])
                .Distinct().ToArray();
            if (children.Length == 0)
            {
                throw new PathNotFoundException(Name, path);
            }

            foreach (var child in children.Reverse())
            {
                yield return child;
            }
        }

        public Task<StorageFileInfo> StatAsync(string path, CancellationToken cancellationToken = default) =>
            _files.Contains(path) ? Task.FromResult(StorageFileInfo.File(path, 1, default))
            : _files.Any(f => StoragePath.IsSameOrDescendant(f, path)) ? Task.FromResult(StorageFileInfo.Directory(path))
            : throw new PathNotFoundException(Name, path);

        public Task<byte[]> GetContentAsync(string path, CancellationToken cancellationToken = default) => throw new UnsupportedMethodException(Name, "GetContent");

        public Task PutContentAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default) => throw new UnsupportedMethodException(Name, "PutContent");

        public Task<Stream> ReaderAsync(string path, long offset, CancellationToken cancellationToken = default) => throw new UnsupportedMethodException(Name, "Reader");

        public Task<FileWriter> WriterAsync(string path, bool append, CancellationToken cancellationToken = default) => throw new UnsupportedMethodException(Name, "Writer");

        public Task MoveAsync(string sourcePath, string destinationPath, CancellationToken cancellationToken = default) => throw new UnsupportedMethodException(Name, "Move");

        public Task DeleteAsync(string path, CancellationToken cancellationToken = default) => throw new UnsupportedMethodException(Name, "Delete");

        public Task<Uri?> RedirectUrlAsync(string path, RedirectOptions options, CancellationToken cancellationToken = default) => Task.FromResult<Uri?>(null);

        public Task WalkAsync(string path, WalkVisitor visitor, WalkOptions? options = null, CancellationToken cancellationToken = default) =>
            WalkFallback.WalkAsync(this, path, visitor, options, cancellationToken);
    }
}
