namespace Registry.Storage.Conformance;

// Moves: distribution's TestMove, TestMoveOverwrite, TestMoveNonexistent and TestMoveInvalid.
public abstract partial class StorageDriverConformance
{
    /// <summary>TestMove: the content is at the destination and the source is gone.</summary>
    [Test]
    public async Task Move()
    {
        var contents = TestData.RandomContents(32);
        var sourcePath = TestData.RandomPath(32);
        var destPath = TestData.RandomPath(32);
        await using var cleanupSource = DeleteAfter(TestData.FirstPart(sourcePath));
        await using var cleanupDest = DeleteAfter(TestData.FirstPart(destPath));

        await Driver.PutContentAsync(sourcePath, contents, Ct);
        await Driver.MoveAsync(sourcePath, destPath, Ct);

        ShouldBeSameBytes(await Driver.GetContentAsync(destPath, Ct), contents, "content at the destination");
        await ShouldFailWithAsync<PathNotFoundException>(() => Driver.GetContentAsync(sourcePath, Ct), sourcePath, "the source after the move");
    }

    /// <summary>TestMoveOverwrite: a move replaces existing (larger) content at the destination.</summary>
    [Test]
    public async Task MoveOverwrite()
    {
        var sourcePath = TestData.RandomPath(32);
        var destPath = TestData.RandomPath(32);
        var sourceContents = TestData.RandomContents(32);
        var destContents = TestData.RandomContents(64);
        await using var cleanupSource = DeleteAfter(TestData.FirstPart(sourcePath));
        await using var cleanupDest = DeleteAfter(TestData.FirstPart(destPath));

        await Driver.PutContentAsync(sourcePath, sourceContents, Ct);
        await Driver.PutContentAsync(destPath, destContents, Ct);
        await Driver.MoveAsync(sourcePath, destPath, Ct);

        ShouldBeSameBytes(await Driver.GetContentAsync(destPath, Ct), sourceContents, "content at the destination");
        await ShouldFailWithAsync<PathNotFoundException>(() => Driver.GetContentAsync(sourcePath, Ct), sourcePath, "the source after the move");
    }

    /// <summary>TestMoveNonexistent: moving a missing source is PathNotFound and leaves the destination intact.</summary>
    [Test]
    public async Task MoveNonexistent()
    {
        var contents = TestData.RandomContents(32);
        var sourcePath = TestData.RandomPath(32);
        var destPath = TestData.RandomPath(32);
        await using var cleanupDest = DeleteAfter(TestData.FirstPart(destPath));

        await Driver.PutContentAsync(destPath, contents, Ct);
        await ShouldFailWithAsync<PathNotFoundException>(() => Driver.MoveAsync(sourcePath, destPath, Ct), because: "Move of a missing source");

        ShouldBeSameBytes(await Driver.GetContentAsync(destPath, Ct), contents, "the untouched destination");
    }

    /// <summary>TestMoveInvalid: moving a file "below" a regular file fails.</summary>
    [Test]
    public async Task MoveInvalid()
    {
        var contents = TestData.RandomContents(32);
        await using var cleanup = DeleteAfter("/notadir");
        await Driver.PutContentAsync("/notadir", contents, Ct);

        await Should.ThrowAsync<StorageDriverException>(() => Driver.MoveAsync("/notadir/foo", "/notadir/bar", Ct));
    }
}
