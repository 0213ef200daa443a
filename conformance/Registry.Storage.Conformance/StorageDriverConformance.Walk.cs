namespace Registry.Storage.Conformance;

// Walk: the table of distribution's walk_test.go and the s3 driver's TestWalk, with
// expectations in this contract's walk order (StoragePath.WalkKey), plus walking from "/",
// a missing start path, a sibling sharing a skipped directory's prefix, and a file removed
// during the walk.
public abstract partial class StorageDriverConformance
{
    /// <summary>The rows of the walk table, for <see cref="Walk"/>.</summary>
    protected static IEnumerable<TestCaseData> WalkCases =>
        WalkCase.Table.Select(c => new TestCaseData(c).SetArgDisplayNames(c.Name));

    /// <summary>
    /// One row of the walk table: the visitor sees exactly the expected entries, in order, each
    /// with the right IsDirectory and size; Stop ends the walk without error; an exception the
    /// visitor throws is the one the walk throws.
    /// </summary>
    [TestCaseSource(nameof(WalkCases))]
    public async Task Walk(WalkCase walkCase)
    {
        ArgumentNullException.ThrowIfNull(walkCase);
        var baseDir = "/walk-" + TestData.RandomFilename(8);
        await using var cleanup = DeleteAfter(baseDir);
        await CreateWalkFilesetAsync(baseDir);

        var walked = new List<StorageFileInfo>();
        var thrown = new InvalidOperationException("visitor failure");
        var at = walkCase.At is null ? null : baseDir + walkCase.At;
        ValueTask<WalkDecision> Visit(StorageFileInfo entry, CancellationToken _)
        {
            walked.Add(entry);
            return walkCase.Action switch
            {
                WalkAction.Throw => throw thrown,
                WalkAction.SkipAt when entry.Path == at => ValueTask.FromResult(WalkDecision.SkipDirectory),
                WalkAction.StopAt when entry.Path == at => ValueTask.FromResult(WalkDecision.Stop),
                _ => ValueTask.FromResult(WalkDecision.Continue),
            };
        }

        var options = walkCase.Hint is null ? null : new WalkOptions { StartAfterHint = baseDir + walkCase.Hint };
        var walk = Driver.WalkAsync(baseDir + walkCase.From, Visit, options, Ct);
        if (walkCase.Action == WalkAction.Throw)
        {
            (await Should.ThrowAsync<InvalidOperationException>(walk)).ShouldBeSameAs(thrown, "the walk must throw the visitor's exception");
        }
        else
        {
            await walk;
        }

        walked.Select(e => e.Path[baseDir.Length..]).ShouldBe(walkCase.Expected, walkCase.Name);
        ShouldDescribeFileset(walked, baseDir);
    }

    /// <summary>A walk from <c>/</c> reports the fileset's directory first, then everything below it in walk order.</summary>
    [Test]
    public async Task Walk_FromRoot_ReportsEverything()
    {
        var baseDir = "/walk-" + TestData.RandomFilename(8);
        await using var cleanup = DeleteAfter(baseDir);
        await CreateWalkFilesetAsync(baseDir);

        var walked = await Driver.WalkToListAsync(StoragePath.Root, cancellationToken: Ct);

        walked.Select(e => e.Path).ShouldBe([baseDir, .. WalkCase.All.Select(p => baseDir + p)]);
        walked[0].IsDirectory.ShouldBeTrue();
        ShouldDescribeFileset(walked.Skip(1), baseDir);
    }

    /// <summary>Walking a start path that does not exist is PathNotFound naming driver and path.</summary>
    [Test]
    public async Task Walk_MissingStartPath_IsPathNotFound()
    {
        var path = TestData.RandomPath(32);
        await ShouldFailWithAsync<PathNotFoundException>(() => Driver.WalkToListAsync(path, cancellationToken: Ct), path, "Walk of a missing path");
    }

    /// <summary>
    /// Skipping <c>/a</c> skips only <c>/a</c>'s contents, never <c>/a-b</c> (before it) or
    /// <c>/a0</c> (after it), which share its prefix.
    /// </summary>
    [Test]
    public async Task Walk_SkipDirectory_NeverSkipsASiblingSharingThePrefix()
    {
        var baseDir = "/walk-" + TestData.RandomFilename(8);
        await using var cleanup = DeleteAfter(baseDir);
        foreach (var file in new[] { "/a/file", "/a/b/file", "/a-b/file", "/a0/file" })
        {
            await Driver.PutContentAsync(baseDir + file, TestData.RandomContents(4), Ct);
        }

        var walked = new List<string>();
        await Driver.WalkAsync(baseDir, (entry, _) =>
        {
            walked.Add(entry.Path[baseDir.Length..]);
            return ValueTask.FromResult(entry.Path == baseDir + "/a" ? WalkDecision.SkipDirectory : WalkDecision.Continue);
        }, cancellationToken: Ct);

        walked.ShouldBe(["/a-b", "/a-b/file", "/a", "/a0", "/a0/file"]);
    }

    /// <summary>
    /// distribution's TestWalkFileRemoved, against the real backend: a file (and with it its
    /// directory) deleted while the walk runs does not fail the walk; every other entry is
    /// still reported once, in order.
    /// </summary>
    [Test]
    public async Task Walk_FileRemovedDuringWalk_DoesNotFailTheWalk()
    {
        var baseDir = "/walk-" + TestData.RandomFilename(8);
        await using var cleanup = DeleteAfter(baseDir);
        await CreateWalkFilesetAsync(baseDir);
        string[] removed = ["/folder2", "/folder2/file1"];

        var walked = new List<StorageFileInfo>();
        await Driver.WalkAsync(baseDir, async (entry, ct) =>
        {
            walked.Add(entry);
            if (entry.Path == baseDir + "/file1")
            {
                await Driver.DeleteAsync(baseDir + "/folder2/file1", ct);
            }

            return WalkDecision.Continue;
        }, cancellationToken: Ct);

        // A flat listing may already hold the removed file when it is deleted; either way is fine.
        var paths = walked.Select(e => e.Path[baseDir.Length..]).ToList();
        paths.Where(p => !removed.Contains(p)).ShouldBe(WalkCase.All.Where(p => !removed.Contains(p)));
        paths.ShouldBeUnique();
        var keys = walked.Select(StoragePath.WalkKey).ToList();
        keys.ShouldBe(keys.Order(StringComparer.Ordinal).ToList(), "the walk must stay in walk order");
    }

    private async Task CreateWalkFilesetAsync(string baseDir)
    {
        foreach (var file in WalkCase.Fileset)
        {
            await Driver.PutContentAsync(baseDir + file, System.Text.Encoding.UTF8.GetBytes("content " + file), Ct);
        }
    }

    private static void ShouldDescribeFileset(IEnumerable<StorageFileInfo> walked, string baseDir)
    {
        foreach (var entry in walked)
        {
            var relative = entry.Path[baseDir.Length..];
            var isFile = WalkCase.Fileset.Contains(relative);
            entry.IsDirectory.ShouldBe(!isFile, $"IsDirectory of {relative}");
            entry.Size.ShouldBe(isFile ? ("content " + relative).Length : 0, $"Size of {relative}");
        }
    }
}
