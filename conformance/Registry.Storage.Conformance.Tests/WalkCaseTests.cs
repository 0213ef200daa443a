namespace Registry.Storage.Conformance.Tests;

/// <summary>
/// The walk table's expectations were written by hand; these tests derive them from the
/// contract's definition instead (<see cref="StoragePath.WalkKey"/>: an entry is visited when
/// it is below the start path and its key sorts after the hint), so a mistake in either shows.
/// </summary>
public class WalkCaseTests
{
    private static IEnumerable<TestCaseData> HintAndStartCases() =>
        WalkCase.Table.Where(c => c.Action == WalkAction.Continue).Select(c => new TestCaseData(c).SetArgDisplayNames(c.Name));

    [Test]
    public void All_IsTheFilesetAndItsDirectories_InWalkOrder()
    {
        var directories = WalkCase.Fileset.SelectMany(Ancestors).Distinct();
        var entries = WalkCase.Fileset.Select(f => StorageFileInfo.File(f, 0, default))
            .Concat(directories.Select(d => StorageFileInfo.Directory(d)))
            .Order(StoragePath.WalkOrder)
            .Select(e => e.Path);

        WalkCase.All.ShouldBe(entries);
    }

    [TestCaseSource(nameof(HintAndStartCases))]
    public void Expectation_FollowsFromWalkKeysAndTheHint(WalkCase walkCase)
    {
        ArgumentNullException.ThrowIfNull(walkCase);
        var from = walkCase.From.Length == 0 ? StoragePath.Root : walkCase.From;
        var derived = WalkCase.All
            .Where(p => p != from && StoragePath.IsSameOrDescendant(p, from))
            .Where(p => StoragePath.IsAfterHint(WalkKey(p), walkCase.Hint))
            .Where(p => walkCase.Action != WalkAction.SkipAt || !IsStrictlyBelow(p, walkCase.At!));

        walkCase.Expected.ShouldBe(derived);
    }

    [Test]
    public void Table_CoversEveryRequiredCase()
    {
        var names = WalkCase.Table.Select(c => c.Name).ToList();
        names.ShouldContain("walk all");
        names.ShouldContain("skip directory");
        names.ShouldContain("stop early");
        names.ShouldContain("error propagates");
        names.ShouldContain("hint before the start path");
        names.ShouldContain("start late with from (hint inside the start path)");
        names.ShouldContain("hint after the start path yields nothing");
        names.ShouldContain("hint equal to the start path");
        names.ShouldContain("hint that doesn't exist");
        names.ShouldBeUnique();
    }

    private static string WalkKey(string path) =>
        WalkCase.Fileset.Contains(path) ? path : path + "/";

    private static bool IsStrictlyBelow(string path, string directory) =>
        path != directory && StoragePath.IsSameOrDescendant(path, directory);

    private static IEnumerable<string> Ancestors(string file)
    {
        for (var d = StoragePath.Parent(file); d != StoragePath.Root; d = StoragePath.Parent(d))
        {
            yield return d;
        }
    }
}
