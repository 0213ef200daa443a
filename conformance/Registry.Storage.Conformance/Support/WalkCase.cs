namespace Registry.Storage.Conformance;

/// <summary>What the visitor of a <see cref="WalkCase"/> does.</summary>
public enum WalkAction
{
    /// <summary>Continue at every entry.</summary>
    Continue,

    /// <summary>Return <see cref="WalkDecision.SkipDirectory"/> at <see cref="WalkCase.At"/>.</summary>
    SkipAt,

    /// <summary>Return <see cref="WalkDecision.Stop"/> at <see cref="WalkCase.At"/>.</summary>
    StopAt,

    /// <summary>Throw from the first entry.</summary>
    Throw,
}

/// <summary>
/// One row of the walk table (distribution's <c>walk_test.go</c> and the s3 driver's
/// <c>TestWalk</c>), with paths relative to the directory the fileset is written under and
/// expectations in this contract's walk order (<see cref="StoragePath.WalkKey"/>).
/// </summary>
/// <param name="Name">What the row proves.</param>
/// <param name="From">The start path ("" = the fileset's directory).</param>
/// <param name="Hint">The start-after hint, or <see langword="null"/>.</param>
/// <param name="Action">What the visitor does.</param>
/// <param name="At">The entry the action applies to.</param>
/// <param name="Expected">The entries the visitor must see, in order.</param>
public sealed record WalkCase(string Name, string From, string? Hint, WalkAction Action, string? At, IReadOnlyList<string> Expected)
{
    /// <summary>The files distribution's walk tests create (content: <c>"content " + path</c>).</summary>
    public static IReadOnlyList<string> Fileset { get; } =
    [
        "/file1",
        "/folder1-suffix/file1",
        "/folder1/file1",
        "/folder2/file1",
        "/folder3/subfolder1/subfolder1/file1",
        "/folder3/subfolder2/subfolder1/file1",
        "/folder4/file1",
    ];

    /// <summary>
    /// Everything in walk order. <c>-</c> sorts before <c>/</c>, so <c>/folder1-suffix</c> and
    /// its contents come before <c>/folder1</c> (key <c>/folder1/</c>), as a flat listing gives them.
    /// </summary>
    public static IReadOnlyList<string> All { get; } =
    [
        "/file1",
        "/folder1-suffix",
        "/folder1-suffix/file1",
        "/folder1",
        "/folder1/file1",
        "/folder2",
        "/folder2/file1",
        "/folder3",
        "/folder3/subfolder1",
        "/folder3/subfolder1/subfolder1",
        "/folder3/subfolder1/subfolder1/file1",
        "/folder3/subfolder2",
        "/folder3/subfolder2/subfolder1",
        "/folder3/subfolder2/subfolder1/file1",
        "/folder4",
        "/folder4/file1",
    ];

    /// <summary>The rows.</summary>
    public static IReadOnlyList<WalkCase> Table { get; } = BuildTable();

    /// <inheritdoc />
    public override string ToString() => Name;

    private static List<WalkCase> BuildTable()
    {
        var folder3 = All.Where(p => p.StartsWith("/folder3/", StringComparison.Ordinal)).ToArray();
        return
        [
            new("walk all", "", null, WalkAction.Continue, null, All),
            new("skip directory", "", null, WalkAction.SkipAt, "/folder3", [.. All.Where(p => !p.StartsWith("/folder3/", StringComparison.Ordinal))]),
            new("skip directory keeps the sibling sharing its prefix", "", null, WalkAction.SkipAt, "/folder1", [.. All.Where(p => p != "/folder1/file1")]),
            new("skip directory on the -suffix sibling keeps the prefix directory", "", null, WalkAction.SkipAt, "/folder1-suffix", [.. All.Where(p => p != "/folder1-suffix/file1")]),
            new("skip directory on a file is continue", "", null, WalkAction.SkipAt, "/file1", All),
            new("start late without from", "", "/folder3/subfolder1/subfolder1/file1", WalkAction.Continue, null,
                ["/folder3/subfolder2", "/folder3/subfolder2/subfolder1", "/folder3/subfolder2/subfolder1/file1", "/folder4", "/folder4/file1"]),
            new("start late with from (hint inside the start path)", "/folder3", "/folder3/subfolder1/subfolder1/file1", WalkAction.Continue, null,
                ["/folder3/subfolder2", "/folder3/subfolder2/subfolder1", "/folder3/subfolder2/subfolder1/file1"]),
            new("hint after the start path yields nothing", "/folder1", "/folder2", WalkAction.Continue, null, []),
            new("hint equal to the start path", "/folder3", "/folder3", WalkAction.Continue, null, folder3),
            new("hint equal to the start path's walk key", "/folder3", "/folder3/", WalkAction.Continue, null, folder3),
            new("hint before the start path", "/folder3", "/folder2/file1", WalkAction.Continue, null, folder3),
            new("hint that doesn't exist", "/folder3", "/folder3/notafolder/notafile", WalkAction.Continue, null, folder3),
            new("hint in /folder1 skips the -suffix sibling that sorts before it", "", "/folder1/file1", WalkAction.Continue, null,
                [.. All.SkipWhile(p => p != "/folder2")]),
            new("hint in the -suffix sibling still walks /folder1", "", "/folder1-suffix/file1", WalkAction.Continue, null,
                [.. All.SkipWhile(p => p != "/folder1")]),
            new("hint at the -suffix sibling is before /folder1 as a start path", "/folder1", "/folder1-suffix", WalkAction.Continue, null, ["/folder1/file1"]),
            new("stop early", "", null, WalkAction.StopAt, "/folder1/file1", [.. All.TakeWhile(p => p != "/folder1/file1"), "/folder1/file1"]),
            new("stop at a directory", "", null, WalkAction.StopAt, "/folder3", [.. All.TakeWhile(p => p != "/folder3"), "/folder3"]),
            new("error propagates", "", null, WalkAction.Throw, null, ["/file1"]),
            new("from folder", "/folder1", null, WalkAction.Continue, null, ["/folder1/file1"]),
        ];
    }
}
