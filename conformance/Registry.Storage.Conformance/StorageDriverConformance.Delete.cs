namespace Registry.Storage.Conformance;

// Deletes: distribution's TestDelete, TestDeleteNonexistent, TestDeleteFolder and
// TestDeleteOnlyDeletesSubpaths, plus what becomes of uploads at or below a deleted path.
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

    /// <summary>
    /// Delete of a directory removes the uploads below it too (so purging a registry's
    /// <c>_uploads/&lt;id&gt;</c> reclaims their space): afterwards nothing is left to resume,
    /// from this instance or a new one, and a sibling directory's upload is untouched.
    /// </summary>
    [Test]
    public async Task DeleteDirectory_RemovesUploadsBelow()
    {
        var parent = "/" + TestData.RandomFilename(12);
        await using var cleanup = DeleteAfter(parent);
        var directory = parent + "/up";
        var upload = directory + "/data";
        var keptUpload = parent + "/upkeep/data";
        await Driver.PutContentAsync(directory + "/startedat", TestData.RandomContents(8), Ct);
        await WriteUncommittedAsync(upload, 64);
        await WriteUncommittedAsync(keptUpload, 16);

        await Driver.DeleteAsync(directory, Ct);

        await ShouldFailWithAsync<PathNotFoundException>(() => Driver.StatAsync(directory, Ct), directory, "Stat of the deleted directory");
        await ShouldHaveNothingToResumeAsync(upload, "after its directory was deleted");
        if (Driver.Capabilities.ResumableWrites)
        {
            var resumed = await Driver.WriterAsync(keptUpload, append: true, Ct);
            await using (resumed)
            {
                resumed.Size.ShouldBe(16, "the upload of the directory sharing the prefix must survive");
                await resumed.CancelAsync(Ct);
            }
        }
    }

    /// <summary>
    /// Delete of a path holding only an upload (nothing committed) is PathNotFound, as for any
    /// missing path — and removes the upload all the same: nothing is left to resume.
    /// </summary>
    [Test]
    public async Task DeleteOfUploadOnly_IsPathNotFound_AndRemovesTheUpload()
    {
        await using var directory = await CreateDirectoryWithSiblingAsync();
        var upload = directory.Path + "/data";
        await WriteUncommittedAsync(upload, 64);

        await ShouldFailWithAsync<PathNotFoundException>(() => Driver.DeleteAsync(upload, Ct), upload, "Delete of a path holding only an upload");

        await ShouldHaveNothingToResumeAsync(upload, "after Delete of its path");
        ShouldBeSameBytes(await Driver.GetContentAsync(directory.Sibling, Ct), directory.SiblingContents, "the committed sibling");
    }

    // A writer disposed without commit: an upload of `size` bytes left at `path`.
    private async Task WriteUncommittedAsync(string path, int size)
    {
        var writer = await Driver.WriterAsync(path, append: false, Ct);
        await using (writer)
        {
            await writer.WriteAsync(TestData.RandomContents(size), Ct);
        }
    }

    // Append at a path with neither content nor an upload is PathNotFound, from this instance
    // and (when uploads survive the instance) from a new one.
    private async Task ShouldHaveNothingToResumeAsync(string path, string when)
    {
        await ShouldFailWithAsync<PathNotFoundException>(() => Driver.WriterAsync(path, append: true, Ct), path, $"append {when}");
        if (Driver.Capabilities.ResumableWrites)
        {
            var other = await CreateNewInstanceAsync();
            await ShouldFailWithAsync<PathNotFoundException>(() => other.WriterAsync(path, append: true, Ct), path, $"append from a new instance {when}");
        }
    }
}
