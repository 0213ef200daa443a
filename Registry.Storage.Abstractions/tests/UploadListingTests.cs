using System.Runtime.CompilerServices;
using Registry.Storage.Kit;

namespace Registry.Storage.Tests;

/// <summary>
/// ListUploadsAsync (contract 1.2): a driver built against 1.1 says it cannot list (the default
/// member), a delegating driver forwards the listing, and DiscardUploadAsync is resume + cancel.
/// </summary>
public class UploadListingTests
{
    [Test]
    public async Task A_driver_without_a_listing_throws_UnsupportedMethod_naming_itself_when_enumeration_starts()
    {
        IStorageDriver driver = new OldDriver();
        var uploads = driver.ListUploadsAsync("/");   // creating the enumerable does not throw

        var error = await Should.ThrowAsync<UnsupportedMethodException>(async () =>
        {
            await foreach (var _ in uploads)
            {
            }
        });

        error.DriverName.ShouldBe("old");
        error.Method.ShouldBe("ListUploads");
        error.Message.ShouldContain("old");
        driver.Capabilities.ListUploads.ShouldBeFalse("the capability defaults to false, matching the default member");
    }

    [Test]
    public async Task A_delegating_driver_forwards_the_listing_and_the_capability()
    {
        var inner = new ListingDriver([new PendingUpload("/a/data", 5, DateTimeOffset.UnixEpoch)]);
        IStorageDriver wrapped = new PassThrough(inner);

        var listed = new List<PendingUpload>();
        await foreach (var upload in wrapped.ListUploadsAsync("/a"))
        {
            listed.Add(upload);
        }

        listed.ShouldBe(inner.Uploads);
        inner.ListedPaths.ShouldBe(["/a"]);
        wrapped.Capabilities.ListUploads.ShouldBeTrue();
    }

    [Test]
    public async Task DiscardUpload_resumes_then_cancels_and_returns_the_size()
    {
        var driver = new OldDriver();

        var size = await driver.DiscardUploadAsync("/a/data");

        size.ShouldBe(42);
        driver.Writers.ShouldHaveSingleItem().ShouldBe(("/a/data", true));
        driver.Cancelled.ShouldBe(["/a/data"]);
    }

    [Test]
    public async Task LatestPerKey_keeps_one_upload_per_run_of_a_key_as_the_rule_says()
    {
        var listed = new[] { ("a", 1), ("a", 3), ("a", 2), ("b", 1), ("c", 5), ("c", 5) }.ToAsyncEnumerable();

        var latest = new List<(string, int)>();
        await foreach (var upload in UploadListing.LatestPerKeyAsync(listed, u => u.Item1, (candidate, kept) => candidate.Item2 >= kept.Item2))
        {
            latest.Add(upload);
        }

        latest.ShouldBe([("a", 3), ("b", 1), ("c", 5)]);
    }

    // A driver as a 1.1 plugin sees the contract: no ListUploadsAsync of its own, so the default member answers.
    private class OldDriver : IStorageDriver
    {
        public List<(string Path, bool Append)> Writers { get; } = [];

        public List<string> Cancelled { get; } = [];

        public string Name => "old";

        public virtual DriverCapabilities Capabilities => DriverCapabilities.Minimal;

        public Task<FileWriter> WriterAsync(string path, bool append, CancellationToken cancellationToken = default)
        {
            Writers.Add((path, append));
            return Task.FromResult<FileWriter>(new CancellingWriter(this, path));
        }

        public Task<byte[]> GetContentAsync(string path, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task PutContentAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<Stream> ReaderAsync(string path, long offset, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<StorageFileInfo> StatAsync(string path, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public IAsyncEnumerable<string> ListAsync(string path, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task MoveAsync(string sourcePath, string destinationPath, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task DeleteAsync(string path, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<Uri?> RedirectUrlAsync(string path, RedirectOptions options, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task WalkAsync(string path, WalkVisitor visitor, WalkOptions? options = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }

    // A 1.2 driver listing fixed uploads.
    private sealed class ListingDriver(List<PendingUpload> uploads) : OldDriver, IStorageDriver
    {
        public List<PendingUpload> Uploads => uploads;

        public List<string> ListedPaths { get; } = [];

        public override DriverCapabilities Capabilities => new() { ListUploads = true };

        public IAsyncEnumerable<PendingUpload> ListUploadsAsync(string path, CancellationToken cancellationToken = default)
        {
            ListedPaths.Add(path);
            return ListedAsync(cancellationToken);
        }

        private async IAsyncEnumerable<PendingUpload> ListedAsync([EnumeratorCancellation] CancellationToken cancellationToken)
        {
            foreach (var upload in uploads)
            {
                await Task.Yield();
                cancellationToken.ThrowIfCancellationRequested();
                yield return upload;
            }
        }
    }

    // Explicitly not overriding ListUploadsAsync: the forward comes from DelegatingStorageDriver.
    private sealed class PassThrough(IStorageDriver inner) : DelegatingStorageDriver(inner);

    private sealed class CancellingWriter(OldDriver driver, string path) : FileWriter(driver.Name, path)
    {
        public override long Size => 42;

        protected override ValueTask WriteCoreAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        protected override Task CommitCoreAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        protected override Task CancelCoreAsync(CancellationToken cancellationToken)
        {
            driver.Cancelled.Add(TargetPath);
            return Task.CompletedTask;
        }

        protected override ValueTask CloseCoreAsync() => ValueTask.CompletedTask;
    }
}
