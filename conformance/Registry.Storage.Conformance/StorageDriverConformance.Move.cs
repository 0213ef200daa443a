namespace Registry.Storage.Conformance;

// Moves: distribution's TestMove, TestMoveOverwrite, TestMoveNonexistent and TestMoveInvalid,
// plus the move of a directory, which distribution's suite leaves open.
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

    /// <summary>
    /// Move moves a file: a directory as the source is PathNotFound naming it (as distribution's
    /// object-store drivers, which copy one object, report it), and nothing moves — neither the
    /// files below it nor over an existing destination.
    /// </summary>
    [Test]
    public async Task MoveDirectory_IsPathNotFound_AndMovesNothing()
    {
        var directory = "/" + TestData.RandomFilename(12);
        await using var cleanup = DeleteAfter(directory);
        var source = directory + "/source";
        var files = new[] { source + "/a", source + "/sub/b" };
        var contents = TestData.RandomContents(32);
        foreach (var file in files)
        {
            await Driver.PutContentAsync(file, contents, Ct);
        }

        var freeDestination = directory + "/moved";
        var existingDestination = directory + "/existing";
        var existingContents = TestData.RandomContents(16);
        await Driver.PutContentAsync(existingDestination, existingContents, Ct);

        foreach (var destination in new[] { freeDestination, existingDestination })
        {
            await ShouldFailWithAsync<PathNotFoundException>(() => Driver.MoveAsync(source, destination, Ct), source, $"Move of a directory to {destination}");
        }

        foreach (var file in files)
        {
            ShouldBeSameBytes(await Driver.GetContentAsync(file, Ct), contents, $"{file} after the refused moves");
        }

        ShouldBeSameBytes(await Driver.GetContentAsync(existingDestination, Ct), existingContents, "the destination file after the refused move");
        await ShouldFailWithAsync<PathNotFoundException>(() => Driver.StatAsync(freeDestination, Ct), freeDestination, "the free destination after the refused move");
    }
}
