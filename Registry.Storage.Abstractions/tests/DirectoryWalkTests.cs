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

    [Test]
    public async Task Listings_ahead_run_in_parallel_up_to_the_limit_while_visits_stay_in_walk_order()
    {
        // 12 directories of 5 files; every listing waits 20 ms, so the walk would take 13 listings
        // one after another: listed ahead, 4 of them overlap.
        var tree = WideTree(12, 5);
        var running = 0;
        var mostAtOnce = 0;
        DirectoryLister lister = async (directory, _, ct) =>
        {
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref mostAtOnce, now);
            await Task.Delay(20, ct);
            Interlocked.Decrement(ref running);
            return tree[directory];
        };
        var walked = new List<string>();
        await DirectoryWalk.WalkAsync("/", lister, (entry, _) =>
        {
            walked.Add(entry.Path);
            return ValueTask.FromResult(WalkDecision.Continue);
        }, null, listingsAhead: 4, CancellationToken.None);

        walked.ShouldBe(ExpectedWalk(tree));
        mostAtOnce.ShouldBeGreaterThan(1, "directories are listed ahead, several at once");
        mostAtOnce.ShouldBeLessThanOrEqualTo(4 + 1, "the walk's own listing plus at most listingsAhead ahead");
    }

    [Test]
    public async Task When_the_walk_stops_or_fails_no_listing_ahead_outlives_it()
    {
        var tree = WideTree(12, 5);
        foreach (var stopAt in new[] { "/d00/f0", "/d03" })
        {
            var running = 0;
            DirectoryLister lister = async (directory, _, ct) =>
            {
                Interlocked.Increment(ref running);
                try
                {
                    await Task.Delay(directory == "/" ? 0 : 200, ct);
                    return tree[directory];
                }
                finally
                {
                    Interlocked.Decrement(ref running);
                }
            };

            await DirectoryWalk.WalkAsync("/", lister, (entry, _) =>
                ValueTask.FromResult(entry.Path == stopAt ? WalkDecision.Stop : WalkDecision.Continue), null, listingsAhead: 4, CancellationToken.None);
            running.ShouldBe(0, $"stopped at {stopAt}: every listing started ahead ended before the walk returned");

            var failing = DirectoryWalk.WalkAsync("/", lister, (entry, _) =>
                entry.Path == stopAt ? throw new InvalidOperationException("visitor failed") : ValueTask.FromResult(WalkDecision.Continue), null, listingsAhead: 4, CancellationToken.None);
            await Should.ThrowAsync<InvalidOperationException>(failing);
            running.ShouldBe(0, $"failed at {stopAt}: every listing started ahead ended before the walk returned");
        }
    }

    [Test]
    public async Task A_listing_ahead_that_fails_fails_the_walk_when_it_reaches_that_directory_and_not_before()
    {
        var tree = WideTree(3, 2);
        DirectoryLister lister = (directory, _, _) => directory == "/d02"
            ? throw new StorageDriverException("test", "list /d02 failed") { Path = directory }
            : ValueTask.FromResult<IReadOnlyCollection<StorageFileInfo>>(tree[directory]);
        var walked = new List<string>();
        var walk = DirectoryWalk.WalkAsync("/", lister, (entry, _) =>
        {
            walked.Add(entry.Path);
            return ValueTask.FromResult(WalkDecision.Continue);
        }, null, listingsAhead: 4, CancellationToken.None);

        (await Should.ThrowAsync<StorageDriverException>(walk)).Path.ShouldBe("/d02");
        walked.ShouldBe(["/d00", "/d00/f0", "/d00/f1", "/d01", "/d01/f0", "/d01/f1", "/d02"]);
    }

    [Test]
    public async Task A_skipped_directory_listed_ahead_is_not_descended()
    {
        var tree = WideTree(3, 2);
        var walked = new List<string>();
        await DirectoryWalk.WalkAsync("/", ListerOf(tree, []), (entry, _) =>
        {
            walked.Add(entry.Path);
            return ValueTask.FromResult(entry.Path == "/d01" ? WalkDecision.SkipDirectory : WalkDecision.Continue);
        }, null, listingsAhead: 2, CancellationToken.None);

        walked.ShouldBe(["/d00", "/d00/f0", "/d00/f1", "/d01", "/d02", "/d02/f0", "/d02/f1"]);
    }

    // "/" holds directories d00…, each holding files f0…
    private static Dictionary<string, StorageFileInfo[]> WideTree(int directories, int files)
    {
        var tree = new Dictionary<string, StorageFileInfo[]>
        {
            ["/"] = [.. Enumerable.Range(0, directories).Reverse().Select(d => StorageFileInfo.Directory($"/d{d:D2}"))],
        };
        for (var d = 0; d < directories; d++)
        {
            tree[$"/d{d:D2}"] = [.. Enumerable.Range(0, files).Select(f => StorageFileInfo.File($"/d{d:D2}/f{f}", 1, default))];
        }

        return tree;
    }

    private static List<string> ExpectedWalk(Dictionary<string, StorageFileInfo[]> tree) =>
        [.. tree["/"].Select(d => d.Path).Order(StringComparer.Ordinal).SelectMany(d => new[] { d }.Concat(tree[d].Select(f => f.Path).Order(StringComparer.Ordinal)))];

    private static void InterlockedMax(ref int target, int value)
    {
        var seen = Volatile.Read(ref target);
        while (value > seen && Interlocked.CompareExchange(ref target, value, seen) is var current && current != seen)
        {
            seen = current;
        }
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
