namespace Registry.Storage.Conformance;

// Stat: distribution's TestStatCall.
public abstract partial class StorageDriverConformance
{
    /// <summary>
    /// How long TestStatCall waits between writing a file and rewriting it. Distribution waits
    /// so that ModTime must advance even on backends with one-second timestamps; this wait is
    /// the behaviour under test, not synchronisation.
    /// </summary>
    protected virtual TimeSpan ModTimeResolutionWait => TimeSpan.FromSeconds(1.1);

    /// <summary>
    /// TestStatCall: missing file and directory are PathNotFound; a file reports path, size and
    /// not-a-directory, and its ModTime advances after a rewrite; a directory reports path,
    /// size 0 and directory; <c>/</c> either stats or is PathNotFound.
    /// </summary>
    [Test]
    [Category("Slow")]
    public async Task StatCall()
    {
        var content = TestData.RandomContents(4096);
        var dirPath = TestData.RandomPath(32);
        var fileName = TestData.RandomFilename(32);
        var filePath = TestData.Join(dirPath, fileName);
        await using var cleanup = DeleteAfter(TestData.FirstPart(dirPath));

        await ShouldFailWithAsync<PathNotFoundException>(() => Driver.StatAsync(dirPath, Ct), dirPath, "Stat of a missing directory");
        await ShouldFailWithAsync<PathNotFoundException>(() => Driver.StatAsync(filePath, Ct), filePath, "Stat of a missing file");

        await Driver.PutContentAsync(filePath, content, Ct);
        var fileInfo = await Driver.StatAsync(filePath, Ct);
        fileInfo.Path.ShouldBe(filePath);
        fileInfo.Size.ShouldBe(content.Length);
        fileInfo.IsDirectory.ShouldBeFalse();
        var createdTime = fileInfo.ModTime;

        await Task.Delay(ModTimeResolutionWait, Ct);
        await Driver.PutContentAsync(filePath, TestData.RandomContents(4096), Ct);
        fileInfo = await Driver.StatAsync(filePath, Ct);
        fileInfo.ModTime.ShouldBeGreaterThan(createdTime, "ModTime must advance when the file is rewritten");

        // Directories need not report a ModTime.
        var dirInfo = await Driver.StatAsync(dirPath, Ct);
        dirInfo.Path.ShouldBe(dirPath);
        dirInfo.Size.ShouldBe(0);
        dirInfo.IsDirectory.ShouldBeTrue();

        // The registry's health check stats "/": it may succeed or be PathNotFound, nothing else.
        try
        {
            var rootInfo = await Driver.StatAsync(StoragePath.Root, Ct);
            rootInfo.IsDirectory.ShouldBeTrue("/ is a directory");
        }
        catch (PathNotFoundException error)
        {
            error.DriverName.ShouldBe(Driver.Name);
        }
    }
}
