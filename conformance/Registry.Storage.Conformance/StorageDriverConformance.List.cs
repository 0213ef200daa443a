namespace Registry.Storage.Conformance;

// Listing: distribution's TestList.
public abstract partial class StorageDriverConformance
{
    /// <summary>
    /// TestList: a missing directory is PathNotFound naming driver and path; after writing 50
    /// files two levels down, each level lists exactly its direct children as absolute paths.
    /// </summary>
    [Test]
    public async Task List()
    {
        var rootDirectory = "/" + TestData.RandomFilename(8 + Random.Shared.Next(8));
        await using var cleanup = DeleteAfter(rootDirectory);

        var doesNotExist = TestData.Join(rootDirectory, "nonexistent");
        await ShouldFailWithAsync<PathNotFoundException>(() => Driver.ListSortedAsync(doesNotExist, Ct), doesNotExist, "List of a missing directory");

        var parentDirectory = rootDirectory + "/" + TestData.RandomFilename(8 + Random.Shared.Next(8));
        var childFiles = new SortedSet<string>(StringComparer.Ordinal);
        while (childFiles.Count < 50)
        {
            // distinct names, so exactly 50 files exist (distribution relies on collisions being unlikely)
            var childFile = parentDirectory + "/" + TestData.RandomFilename(8 + Random.Shared.Next(8));
            if (childFiles.Add(childFile))
            {
                await Driver.PutContentAsync(childFile, TestData.RandomContents(32), Ct);
            }
        }

        (await Driver.ListSortedAsync(StoragePath.Root, Ct)).ShouldBe([rootDirectory], "List /");
        (await Driver.ListSortedAsync(rootDirectory, Ct)).ShouldBe([parentDirectory], "List of the root directory");
        (await Driver.ListSortedAsync(parentDirectory, Ct)).ShouldBe(childFiles.ToList(), "List of the parent directory");
    }
}
