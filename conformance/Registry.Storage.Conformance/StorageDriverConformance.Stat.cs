namespace Registry.Storage.Conformance;

// Stat: distribution's TestStatCall, plus the shape of a directory's ModTime.
public abstract partial class StorageDriverConformance
{
    /// <summary>
    /// How long TestStatCall waits between writing a file and rewriting it. Distribution waits
    /// so that ModTime must advance even on backends with one-second timestamps; this wait is
    /// the behaviour under test, not synchronisation.
    /// </summary>
    protected virtual TimeSpan ModTimeResolutionWait => TimeSpan.FromSeconds(1.1);

    /// <summary>
    /// How far a directory's ModTime may lie ahead of this machine's clock: the backend's clock
    /// may differ a little from ours. Raise it for a backend whose clock is known to drift.
    /// </summary>
    protected virtual TimeSpan ClockSkewAllowance => TimeSpan.FromMinutes(1);

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

    /// <summary>
    /// A directory, through Stat and as a walk reports it, has size 0 and a ModTime that is either
    /// unknown (<see cref="DateTimeOffset.MinValue"/>, what object stores without directories
    /// give) or a real time not in the future — the one shape every backend can meet.
    /// </summary>
    [Test]
    public async Task DirectoryModTime_IsUnknownOrNotInTheFuture()
    {
        var directory = "/" + TestData.RandomFilename(12);
        await using var cleanup = DeleteAfter(directory);
        var subdirectory = directory + "/sub";
        await Driver.PutContentAsync(subdirectory + "/file", TestData.RandomContents(32), Ct);

        var walked = (await Driver.WalkToListAsync(directory, cancellationToken: Ct)).Where(e => e.IsDirectory).ToList();
        walked.Select(e => e.Path).ShouldBe([subdirectory], "the directories the walk reports");
        foreach (var info in new[] { await Driver.StatAsync(directory, Ct), await Driver.StatAsync(subdirectory, Ct), walked[0] })
        {
            info.IsDirectory.ShouldBeTrue($"{info.Path} is a directory");
            info.Size.ShouldBe(0, $"the size of directory {info.Path}");
            var latest = DateTimeOffset.UtcNow + ClockSkewAllowance;
            if (info.ModTime != DateTimeOffset.MinValue && info.ModTime > latest)
            {
                throw new ShouldAssertException($"the ModTime of directory {info.Path} is {info.ModTime:O}: neither unknown (DateTimeOffset.MinValue) nor a time up to now (+{ClockSkewAllowance})");
            }
        }
    }
}
