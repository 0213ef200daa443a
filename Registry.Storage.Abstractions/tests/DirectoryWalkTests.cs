using Registry.Storage.Kit;

namespace Registry.Storage.Tests;

/// <summary>What <see cref="DirectoryWalk"/> adds to the shared walk table (<see cref="WalkTests"/>): listing, pruning and vanishing directories.</summary>
public class DirectoryWalkTests
{
    // "/a" and "/a/b" are directories; the lister answers from this map (unordered on purpose).
    private static readonly Dictionary<string, StorageFileInfo[]> Tree = new()
    {
        ["/"] = [StorageFileInfo.File("/z", 1, default), StorageFileInfo.Directory("/a"), StorageFileInfo.File("/a-b", 1, default), StorageFileInfo.File("/a.c", 1, default)],
        ["/a"] = [StorageFileInfo.File("/a/y", 1, default), StorageFileInfo.Directory("/a/b"), StorageFileInfo.File("/a/b-", 1, default)],
        ["/a/b"] = [StorageFileInfo.File("/a/b/x", 1, default)],
    };

    [Test]
    public async Task Visits_children_in_walk_order_whatever_order_the_lister_gives()
    {
        var (walked, _) = await WalkAsync("/", Tree, hint: null);
        walked.ShouldBe(["/a-b", "/a.c", "/a", "/a/b-", "/a/b", "/a/b/x", "/a/y", "/z"]);
    }

    [Test]
    public async Task The_hint_prunes_walked_subtrees_without_listing_them()
    {
        var (walked, listed) = await WalkAsync("/", Tree, hint: "/a/b/x");
        walked.ShouldBe(["/a/y", "/z"]);
        listed.ShouldBe(["/", "/a", "/a/b"]); // "/a/b" holds the hint, so it is listed
        (await WalkAsync("/", Tree, hint: "/a/c")).Listed.ShouldBe(["/", "/a"]);
    }

    [Test]
    public async Task The_lister_is_told_which_children_the_hint_has_passed()
    {
        var asked = new List<(string Child, bool MayVisit)>();
        DirectoryLister lister = (directory, mayVisit, _) =>
        {
            foreach (var child in Tree.GetValueOrDefault(directory, []))
            {
                asked.Add((child.Path, mayVisit(child.Path)));
            }

            return ValueTask.FromResult<IReadOnlyCollection<StorageFileInfo>>([]);
        };

        await DirectoryWalk.WalkAsync("/", lister, (_, _) => ValueTask.FromResult(WalkDecision.Continue), new WalkOptions { StartAfterHint = "/a/b" }, CancellationToken.None);

        // "/a" holds the hint; "/a-b" and "/a.c" sort before "/a/" and so before the hint.
        asked.ShouldBe([("/z", true), ("/a", true), ("/a-b", false), ("/a.c", false)]);
    }

    [Test]
    public async Task A_directory_that_vanishes_during_the_walk_is_walked_as_empty()
    {
        var tree = new Dictionary<string, StorageFileInfo[]>(Tree);
        tree.Remove("/a/b");
        var (walked, _) = await WalkAsync("/", tree, hint: null);
        walked.ShouldBe(["/a-b", "/a.c", "/a", "/a/b-", "/a/b", "/a/y", "/z"]);
    }

    [Test]
    public async Task A_missing_start_directory_is_an_error() =>
        await Should.ThrowAsync<PathNotFoundException>(() => WalkAsync("/nothing", Tree, hint: null));

    [Test]
    public async Task A_not_found_error_from_the_visitor_is_not_taken_for_a_vanished_directory()
    {
        var walk = DirectoryWalk.WalkAsync("/", ListerOf(Tree, []),
            (entry, _) => entry.Path == "/a/b/x" ? throw new PathNotFoundException("test", entry.Path) : ValueTask.FromResult(WalkDecision.Continue),
            null, CancellationToken.None);
        (await Should.ThrowAsync<PathNotFoundException>(walk)).Path.ShouldBe("/a/b/x");
    }

    private static async Task<(List<string> Walked, List<string> Listed)> WalkAsync(string from, Dictionary<string, StorageFileInfo[]> tree, string? hint)
    {
        var walked = new List<string>();
        var listed = new List<string>();
        await DirectoryWalk.WalkAsync(from, ListerOf(tree, listed), (entry, _) =>
        {
            walked.Add(entry.Path);
            return ValueTask.FromResult(WalkDecision.Continue);
        }, new WalkOptions { StartAfterHint = hint }, CancellationToken.None);
        return (walked, listed);
    }

    private static DirectoryLister ListerOf(Dictionary<string, StorageFileInfo[]> tree, List<string> listed) => (directory, _, _) =>
    {
        listed.Add(directory);
        return tree.TryGetValue(directory, out var children)
            ? ValueTask.FromResult<IReadOnlyCollection<StorageFileInfo>>(children)
            : throw new PathNotFoundException("test", directory);
    };
}
