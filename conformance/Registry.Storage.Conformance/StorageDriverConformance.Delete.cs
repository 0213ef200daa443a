namespace Registry.Storage.Conformance;

// Deletes: distribution's TestDelete, TestDeleteNonexistent, TestDeleteFolder and
// TestDeleteOnlyDeletesSubpaths.
public abstract partial class StorageDriverConformance
{
    /// <summary>TestDelete: a deleted file is gone.</summary>
    [Test]
    public async Task Delete()
    {
        var path = TestData.RandomPath(32);
        await using var cleanup = DeleteAfter(TestData.FirstPart(path));

        await Driver.PutContentAsync(path, TestData.RandomContents(32), Ct);
        await Driver.DeleteAsync(path, Ct);

        await ShouldFailWithAsync<PathNotFoundException>(() => Driver.GetContentAsync(path, Ct), path, "GetContent after Delete");
    }

    /// <summary>TestDeleteNonexistent: deleting a missing path is PathNotFound naming the driver.</summary>
    [Test]
    public async Task DeleteNonexistent()
    {
        var path = TestData.RandomPath(32);
        await ShouldFailWithAsync<PathNotFoundException>(() => Driver.DeleteAsync(path, Ct), path, "Delete of a missing path");
    }

    /// <summary>TestDeleteFolder: deleting one file keeps its siblings; deleting the folder removes all of them.</summary>
    [Test]
    public async Task DeleteFolder()
    {
        var dirname = TestData.RandomPath(32);
        var file1 = TestData.Join(dirname, TestData.RandomPath(32));
        var file2 = TestData.Join(dirname, TestData.RandomPath(32));
        var file3 = TestData.Join(dirname, TestData.RandomPath(32));
        var contents = TestData.RandomContents(32);
        await using var cleanup = DeleteAfter(TestData.FirstPart(dirname));

        await Driver.PutContentAsync(file1, contents, Ct);
        await Driver.PutContentAsync(file2, contents, Ct);
        await Driver.PutContentAsync(file3, contents, Ct);

        await Driver.DeleteAsync(file1, Ct);
        await ShouldFailWithAsync<PathNotFoundException>(() => Driver.GetContentAsync(file1, Ct), file1, "the deleted file");
        ShouldBeSameBytes(await Driver.GetContentAsync(file2, Ct), contents, "a sibling of the deleted file");
        ShouldBeSameBytes(await Driver.GetContentAsync(file3, Ct), contents, "a sibling of the deleted file");

        await Driver.DeleteAsync(dirname, Ct);
        foreach (var file in new[] { file1, file2, file3 })
        {
            await ShouldFailWithAsync<PathNotFoundException>(() => Driver.GetContentAsync(file, Ct), file, "a file of the deleted folder");
        }
    }

    /// <summary>
    /// TestDeleteOnlyDeletesSubpaths: deleting <c>A</c> never deletes <c>Asuffix</c> — neither a
    /// file nor a directory sharing the prefix (what object stores without directories get wrong).
    /// </summary>
    [Test]
    public async Task DeleteOnlyDeletesSubpaths()
    {
        var dirname = TestData.RandomPath(32);
        var filename = TestData.RandomPath(32);
        var contents = TestData.RandomContents(32);
        await using var cleanup = DeleteAfter(TestData.FirstPart(dirname));

        var file = TestData.Join(dirname, filename);
        var fileWithSuffix = TestData.Join(dirname, filename + "suffix");
        var nested = TestData.Join(dirname, dirname, filename);
        var nestedWithSuffix = TestData.Join(dirname, dirname + "suffix", filename);
        foreach (var path in new[] { file, fileWithSuffix, nested, nestedWithSuffix })
        {
            await Driver.PutContentAsync(path, contents, Ct);
        }

        await Driver.DeleteAsync(file, Ct);
        await ShouldFailWithAsync<PathNotFoundException>(() => Driver.GetContentAsync(file, Ct), file, "the deleted file");
        ShouldBeSameBytes(await Driver.GetContentAsync(fileWithSuffix, Ct), contents, "the file sharing the deleted file's prefix");

        await Driver.DeleteAsync(TestData.Join(dirname, dirname), Ct);
        await ShouldFailWithAsync<PathNotFoundException>(() => Driver.GetContentAsync(nested, Ct), nested, "a file of the deleted directory");
        ShouldBeSameBytes(await Driver.GetContentAsync(nestedWithSuffix, Ct), contents, "the file in the directory sharing the deleted directory's prefix");
    }
}
