namespace Registry.Storage.Conformance;

// ListUploadsAsync (contract 1.2): what writers left uncommitted is listed where it is, with its
// size and time, and nowhere else; commit and cancel take it off the list; discarding one (append
// + cancel, what `regstore uploads purge` does) never touches committed content. A driver that
// does not declare ListUploads must say so with UnsupportedMethodException.
public abstract partial class StorageDriverConformance
{
    /// <summary>
    /// An upload closed without commit is listed with its path and size under its directory,
    /// every ancestor, <c>/</c> and its own path — from a new instance too, when uploads survive
    /// the instance — and its time is unknown or now; the upload of a directory sharing the prefix
    /// is not listed under the other, and neither committed files nor paths without uploads list anything.
    /// </summary>
    [Test]
    public async Task ListUploads_ShowsAClosedUpload_WhereItIs_WithItsSize()
    {
        await using var directory = await CreateDirectoryWithSiblingAsync();
        var upload = directory.Path + "/up/data";
        var prefixSibling = directory.Path + "/upx/data";
        var before = DateTimeOffset.UtcNow;
        await WriteUncommittedAsync(upload, 1000);
        await WriteUncommittedAsync(prefixSibling, 16);
        var after = DateTimeOffset.UtcNow;
        if (!await ListUploadsDeclaredAsync())
        {
            return;
        }

        var listed = (await ListUploadsAsync(directory.Path + "/up")).ShouldHaveSingleItem($"the uploads under {directory.Path}/up");
        listed.Path.ShouldBe(upload);
        listed.Size.ShouldBe(1000, "Size: the bytes the closed writer wrote");
        if (listed.LastModified != DateTimeOffset.MinValue)
        {
            listed.LastModified.ShouldBeInRange(before - ClockSkewAllowance - TimeSpan.FromSeconds(1), after + ClockSkewAllowance,
                "LastModified: when the upload was written (or DateTimeOffset.MinValue when the backend keeps no time)");
        }

        (await ListUploadsAsync(upload)).ShouldBe([listed], "the uploads at the upload's own path");
        Described(await ListUploadsAsync(directory.Path)).ShouldBe([$"{upload} 1000", $"{prefixSibling} 16"], $"the uploads under {directory.Path}");
        Described((await ListUploadsAsync(StoragePath.Root)).Where(u => StoragePath.IsSameOrDescendant(u.Path, directory.Path)))
            .ShouldBe([$"{upload} 1000", $"{prefixSibling} 16"], "the uploads under /");
        (await ListUploadsAsync(directory.Sibling)).ShouldBeEmpty("a committed file is no upload");
        (await ListUploadsAsync(directory.Path + "/nothing")).ShouldBeEmpty("a path with neither content nor uploads lists nothing (no PathNotFound)");
        (await ListUploadsAsync(directory.Path + "/up/data/below")).ShouldBeEmpty("nothing is below an upload");

        if (Driver.Capabilities.ResumableWrites)
        {
            var other = await CreateNewInstanceAsync();
            Described(await ListUploadsAsync(directory.Path + "/up", other)).ShouldBe([$"{upload} 1000"], "the uploads a new instance lists");
        }
    }

    /// <summary>
    /// Only uploads left uncommitted are listed: not while nothing was left, not after a resumed
    /// writer commits it, not after a resumed writer cancels it, not after a writer is cancelled
    /// at once — and committed content never is.
    /// </summary>
    [Test]
    public async Task ListUploads_OmitsCommittedAndCancelledUploads()
    {
        await using var directory = await CreateDirectoryWithSiblingAsync();
        var committed = directory.Path + "/committed";
        var cancelled = directory.Path + "/cancelled";
        var cancelledAtOnce = directory.Path + "/cancelled-at-once";
        await WriteUncommittedAsync(committed, 100);
        await WriteUncommittedAsync(cancelled, 50);
        if (!await ListUploadsDeclaredAsync())
        {
            return;
        }

        Described(await ListUploadsAsync(directory.Path)).ShouldBe([$"{cancelled} 50", $"{committed} 100"], "before commit and cancel");

        var resumed = await Driver.WriterAsync(committed, append: true, Ct);
        await using (resumed)
        {
            await resumed.WriteAsync(TestData.RandomContents(10), Ct);
            await resumed.CommitAsync(Ct);
        }

        (await Driver.DiscardUploadAsync(cancelled, Ct)).ShouldBe(50, "the size the resumed writer inherited");
        var atOnce = await Driver.WriterAsync(cancelledAtOnce, append: false, Ct);
        await using (atOnce)
        {
            await atOnce.WriteAsync(TestData.RandomContents(20), Ct);
            await atOnce.CancelAsync(Ct);
        }

        (await ListUploadsAsync(directory.Path)).ShouldBeEmpty("after one upload was committed and the others cancelled");
        (await Driver.StatAsync(committed, Ct)).Size.ShouldBe(110, "the committed upload");
    }

    /// <summary>
    /// Discarding an upload over committed content (an interrupted overwrite) — append, then
    /// Cancel, as <c>regstore uploads purge</c> does — removes the upload and nothing else: the
    /// committed content is still there, byte for byte.
    /// </summary>
    [Test]
    public async Task DiscardingAnUploadOverCommittedContent_KeepsTheContent()
    {
        await using var directory = await CreateDirectoryWithSiblingAsync();
        var path = directory.Path + "/file";
        var contents = TestData.RandomContents(64);
        await Driver.PutContentAsync(path, contents, Ct);
        await WriteUncommittedAsync(path, 32);

        if (Driver.Capabilities.ListUploads)
        {
            Described(await ListUploadsAsync(path)).ShouldBe([$"{path} 32"], "the upload over committed content");
        }

        (await Driver.DiscardUploadAsync(path, Ct)).ShouldBe(32, "the size the resumed writer inherited");

        ShouldBeSameBytes(await Driver.GetContentAsync(path, Ct), contents, "the committed content after its upload was discarded");
        (await Driver.StatAsync(path, Ct)).Size.ShouldBe(contents.Length);
        if (Driver.Capabilities.ListUploads)
        {
            (await ListUploadsAsync(path)).ShouldBeEmpty("after the upload was discarded");
        }
    }

    /// <summary>
    /// A driver declares <see cref="DriverCapabilities.ListUploads"/> truthfully: when it does,
    /// listing <c>/</c> works; when it does not, the listing throws <see cref="UnsupportedMethodException"/> naming the driver.
    /// </summary>
    [Test]
    public async Task ListUploads_IsSupportedExactlyAsDeclared()
    {
        if (await ListUploadsDeclaredAsync())
        {
            await ListUploadsAsync(StoragePath.Root);
        }
    }

    /// <summary>
    /// Whether the driver declares <see cref="DriverCapabilities.ListUploads"/>. When it does
    /// not, checks that meaning instead — the listing throws <see cref="UnsupportedMethodException"/>
    /// naming the driver — and the caller ends the test.
    /// </summary>
    private async Task<bool> ListUploadsDeclaredAsync()
    {
        if (Driver.Capabilities.ListUploads)
        {
            return true;
        }

        var error = await ShouldFailWithAsync<UnsupportedMethodException>(() => ListUploadsAsync(StoragePath.Root),
            because: "the driver declares ListUploads = false, so listing uploads must say it is unsupported");
        error.Method.ShouldBe("ListUploads");
        TestContext.Out.WriteLine($"{Driver.Name} declares ListUploads = false: the listing is unsupported, as declared");
        return false;
    }

    // "path size" per upload, in path order: what the assertions compare.
    private static List<string> Described(IEnumerable<PendingUpload> uploads) =>
        [.. uploads.OrderBy(u => u.Path, StringComparer.Ordinal).Select(u => $"{u.Path} {u.Size}")];

    private async Task<List<PendingUpload>> ListUploadsAsync(string path, IStorageDriver? driver = null)
    {
        var uploads = new List<PendingUpload>();
        await foreach (var upload in (driver ?? Driver).ListUploadsAsync(path, Ct))
        {
            uploads.Add(upload);
        }

        return uploads;
    }
}
