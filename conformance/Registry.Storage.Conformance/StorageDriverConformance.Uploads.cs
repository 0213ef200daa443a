namespace Registry.Storage.Conformance;

// What this contract promises about writers beyond distribution's suite: content appears
// only on commit, a closed writer resumes from another process, cancel leaves nothing,
// append is refused onto committed non-empty content and is PathNotFound where nothing is,
// and misuse of a finished writer is an error.
public abstract partial class StorageDriverConformance
{
    /// <summary>A writer disposed without commit resumes from a NEW driver instance with Size = bytes so far.</summary>
    [Test]
    public async Task ClosedWriter_ResumesFromNewDriverInstance()
    {
        var path = TestData.RandomPath(32);
        await using var cleanup = DeleteAfter(TestData.FirstPart(path));
        var first = TestData.RandomContents(1000);
        var second = TestData.RandomContents(24);

        var writer = await Driver.WriterAsync(path, append: false, Ct);
        await writer.WriteAsync(first, Ct);
        await writer.DisposeAsync();

        if (!await ResumableWritesDeclaredAsync(path))
        {
            return;
        }

        var other = await CreateNewInstanceAsync();
        var resumed = await other.WriterAsync(path, append: true, Ct);
        await using (resumed)
        {
            resumed.Size.ShouldBe(first.Length, "Size of the writer resumed by another instance");
            await resumed.WriteAsync(second, Ct);
            await resumed.CommitAsync(Ct);
        }

        ShouldBeSameBytes(await Driver.GetContentAsync(path, Ct), [.. first, .. second], "content written by two instances");
    }

    /// <summary>
    /// Uncommitted content is invisible to GetContent, Reader, Stat, List and Walk — while the
    /// writer is open and after it is closed — and visible once committed.
    /// </summary>
    [Test]
    public async Task UncommittedContent_IsInvisibleUntilCommit()
    {
        await using var directory = await CreateDirectoryWithSiblingAsync();
        var sibling = directory.Sibling;
        var path = directory.Path + "/upload";
        var contents = TestData.RandomContents(64);

        var writer = await Driver.WriterAsync(path, append: false, Ct);
        await writer.WriteAsync(contents, Ct);
        await ShouldBeInvisibleAsync(path, sibling, "while the writer is open");
        await writer.DisposeAsync();
        await ShouldBeInvisibleAsync(path, sibling, "after the writer was closed without commit");

        if (!await ResumableWritesDeclaredAsync(path))
        {
            return;
        }

        var resumed = await Driver.WriterAsync(path, append: true, Ct);
        await using (resumed)
        {
            await ShouldBeInvisibleAsync(path, sibling, "while a resumed writer is open");
            await resumed.CommitAsync(Ct);
        }

        ShouldBeSameBytes(await Driver.GetContentAsync(path, Ct), contents, "content after commit");
        (await Driver.StatAsync(path, Ct)).Size.ShouldBe(contents.Length);
        (await Driver.ListSortedAsync(directory.Path, Ct)).ShouldBe([sibling, path], "the listing after commit");
    }

    /// <summary>Rewriting a committed file (append = false) leaves the old content readable until the new one is committed.</summary>
    [Test]
    public async Task Overwrite_KeepsOldContentUntilCommit()
    {
        var path = TestData.RandomPath(32);
        await using var cleanup = DeleteAfter(TestData.FirstPart(path));
        var old = TestData.RandomContents(100);
        var replacement = TestData.RandomContents(50);
        await Driver.PutContentAsync(path, old, Ct);

        var writer = await Driver.WriterAsync(path, append: false, Ct);
        await using (writer)
        {
            await writer.WriteAsync(replacement, Ct);
            ShouldBeSameBytes(await Driver.GetContentAsync(path, Ct), old, "content while the replacement is uncommitted");
            (await Driver.StatAsync(path, Ct)).Size.ShouldBe(old.Length, "Stat while the replacement is uncommitted");
            await writer.CommitAsync(Ct);
        }

        ShouldBeSameBytes(await Driver.GetContentAsync(path, Ct), replacement, "content after the replacement's commit");
    }

    /// <summary>Cancel discards everything: Stat is PathNotFound and the parent's listing does not show the path.</summary>
    [Test]
    public async Task Cancel_LeavesNothing()
    {
        await using var directory = await CreateDirectoryWithSiblingAsync();
        var sibling = directory.Sibling;
        var path = directory.Path + "/cancelled";

        var writer = await Driver.WriterAsync(path, append: false, Ct);
        await using (writer)
        {
            await writer.WriteAsync(TestData.RandomContents(64), Ct);
            await writer.CancelAsync(Ct);
        }

        await ShouldFailWithAsync<PathNotFoundException>(() => Driver.StatAsync(path, Ct), path, "Stat after Cancel");
        (await Driver.ListSortedAsync(directory.Path, Ct)).ShouldBe([sibling], "the listing after Cancel");

        await ShouldStartFromZeroAsync(path);
    }

    /// <summary>Cancel on a resumed writer also discards what it inherited: nothing appears, nothing resumes.</summary>
    [Test]
    public async Task Cancel_AfterResume_DiscardsInheritedContent()
    {
        var path = TestData.RandomPath(32);
        await using var cleanup = DeleteAfter(TestData.FirstPart(path));
        var writer = await Driver.WriterAsync(path, append: false, Ct);
        await writer.WriteAsync(TestData.RandomContents(64), Ct);
        await writer.DisposeAsync();
        if (!await ResumableWritesDeclaredAsync(path))
        {
            return;
        }

        var resumed = await (await CreateNewInstanceAsync()).WriterAsync(path, append: true, Ct);
        await using (resumed)
        {
            resumed.Size.ShouldBe(64);
            await resumed.CancelAsync(Ct);
        }

        await ShouldFailWithAsync<PathNotFoundException>(() => Driver.StatAsync(path, Ct), path, "Stat after Cancel of a resumed writer");
        await ShouldStartFromZeroAsync(path);
    }

    /// <summary>Append onto committed, non-empty content is refused with a StorageDriverException, and the content stays as it was.</summary>
    [Test]
    public async Task AppendOntoCommittedContent_IsRejected()
    {
        var path = TestData.RandomPath(32);
        await using var cleanup = DeleteAfter(TestData.FirstPart(path));
        var contents = TestData.RandomContents(32);
        await Driver.PutContentAsync(path, contents, Ct);

        await Should.ThrowAsync<StorageDriverException>(async () =>
        {
            // Refusing at WriterAsync is best; refusing at the write or the commit also keeps the file intact.
            var writer = await Driver.WriterAsync(path, append: true, Ct);
            await using (writer)
            {
                await writer.WriteAsync(TestData.RandomContents(8), Ct);
                await writer.CommitAsync(Ct);
            }
        });

        ShouldBeSameBytes(await Driver.GetContentAsync(path, Ct), contents, "content after the refused append");
    }

    /// <summary>
    /// Append where neither committed content nor an upload exists is PathNotFound naming driver
    /// and path (distribution's s3, azure and gcs drivers return PathNotFoundError), and creates
    /// nothing — so a caller resuming a purged upload learns it is gone instead of starting anew.
    /// </summary>
    [Test]
    public async Task AppendWhereNothingExists_IsPathNotFound()
    {
        await using var directory = await CreateDirectoryWithSiblingAsync();
        foreach (var path in new[] { directory.Path + "/nothing", directory.Path + "/missing/nothing" })
        {
            await ShouldFailWithAsync<PathNotFoundException>(() => Driver.WriterAsync(path, append: true, Ct), path, $"append at {path}");
            await ShouldFailWithAsync<PathNotFoundException>(() => Driver.StatAsync(path, Ct), path, "Stat after the refused append");
        }

        (await Driver.ListSortedAsync(directory.Path, Ct)).ShouldBe([directory.Sibling], "the listing after the refused appends");
    }

    /// <summary>Commit twice, Write after Commit and Write or Commit after Cancel throw StorageDriverException.</summary>
    [Test]
    public async Task FinishedWriter_RefusesFurtherUse()
    {
        var path = TestData.RandomPath(32);
        await using var cleanup = DeleteAfter(TestData.FirstPart(path));
        var contents = TestData.RandomContents(16);

        var committed = await Driver.WriterAsync(path, append: false, Ct);
        await using (committed)
        {
            await committed.WriteAsync(contents, Ct);
            await committed.CommitAsync(Ct);
            await Should.ThrowAsync<StorageDriverException>(() => committed.CommitAsync(Ct), "Commit twice");
            await Should.ThrowAsync<StorageDriverException>(() => committed.WriteAsync(contents, Ct).AsTask(), "Write after Commit");
        }

        ShouldBeSameBytes(await Driver.GetContentAsync(path, Ct), contents, "content after the refused calls");

        var cancelled = await Driver.WriterAsync(path + "-cancelled", append: false, Ct);
        await using (cancelled)
        {
            await cancelled.CancelAsync(Ct);
            await Should.ThrowAsync<StorageDriverException>(() => cancelled.WriteAsync(contents, Ct).AsTask(), "Write after Cancel");
            await Should.ThrowAsync<StorageDriverException>(() => cancelled.CommitAsync(Ct), "Commit after Cancel");
        }
    }

    /// <summary>
    /// Whether the driver declares resumable writes (an upload survives the driver instance).
    /// When it does not, checks that meaning instead — a NEW instance finds nothing to resume,
    /// PathNotFound as for append where nothing exists — and the caller ends the test. The
    /// instance that wrote the upload may still resume it (the registry resumes in-instance).
    /// </summary>
    private async Task<bool> ResumableWritesDeclaredAsync(string path)
    {
        if (Driver.Capabilities.ResumableWrites)
        {
            return true;
        }

        var other = await CreateNewInstanceAsync();
        await ShouldFailWithAsync<PathNotFoundException>(async () =>
        {
            var writer = await other.WriterAsync(path, append: true, Ct);
            await writer.DisposeAsync();
        }, path, "the driver declares ResumableWrites = false, so a new instance must find no upload to resume");
        TestContext.Out.WriteLine($"{Driver.Name} declares ResumableWrites = false: a new instance found nothing to resume, as declared");
        return false;
    }

    // After Cancel nothing is left to resume: a new writer starts from zero.
    private async Task ShouldStartFromZeroAsync(string path)
    {
        var fresh = await Driver.WriterAsync(path, append: false, Ct);
        await using (fresh)
        {
            fresh.Size.ShouldBe(0, "a new writer after Cancel");
            await fresh.CancelAsync(Ct);
        }
    }

    private async Task ShouldBeInvisibleAsync(string path, string sibling, string when)
    {
        await ShouldFailWithAsync<PathNotFoundException>(() => Driver.GetContentAsync(path, Ct), path, $"GetContent {when}");
        await ShouldFailWithAsync<PathNotFoundException>(() => Driver.ReaderAsync(path, 0, Ct), path, $"Reader {when}");
        await ShouldFailWithAsync<PathNotFoundException>(() => Driver.StatAsync(path, Ct), path, $"Stat {when}");
        var parent = StoragePath.Parent(path);
        (await Driver.ListSortedAsync(parent, Ct)).ShouldBe([sibling], $"List {when}");
        (await Driver.WalkToListAsync(parent, cancellationToken: Ct)).Select(e => e.Path).ShouldBe([sibling], $"Walk {when}");
    }
}
