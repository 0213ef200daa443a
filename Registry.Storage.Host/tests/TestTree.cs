using System.Runtime.CompilerServices;
using Registry.Storage.Kit;

namespace Registry.Storage.Host.Tests;

/// <summary>
/// A recording driver for decorator tests: it remembers which calls reached it and throws
/// <see cref="Failure"/> when set, so a test can see what a decorator let through.
/// </summary>
internal sealed class TestTree(string name = "tree") : IStorageDriver
{
    public List<string> Calls { get; } = [];

    public Exception? Failure { get; set; }

    public string Name => name;

    /// <summary>Whether the tree lists an upload (a 1.2 driver) or says it cannot (a 1.1 driver's default).</summary>
    public bool ListsUploads { get; set; } = true;

    public DriverCapabilities Capabilities => DriverCapabilities.Minimal with { ListUploads = ListsUploads };

    private T Record<T>(string call, T result)
    {
        Calls.Add(call);
        return Failure is null ? result : throw Failure;
    }

    public Task<byte[]> GetContentAsync(string path, CancellationToken cancellationToken = default) => Task.FromResult(Record($"GetContent {path}", Array.Empty<byte>()));

    public Task PutContentAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default) => Task.FromResult(Record($"PutContent {path}", 0));

    public Task<Stream> ReaderAsync(string path, long offset, CancellationToken cancellationToken = default) => Task.FromResult(Record<Stream>($"Reader {path} {offset}", new MemoryStream()));

    public Task<FileWriter> WriterAsync(string path, bool append, CancellationToken cancellationToken = default) => throw Record($"Writer {path}", new UnsupportedMethodException(Name, "Writer"));

    public Task<StorageFileInfo> StatAsync(string path, CancellationToken cancellationToken = default) => Task.FromResult(Record($"Stat {path}", StorageFileInfo.Directory(path)));

    public async IAsyncEnumerable<string> ListAsync(string path, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        yield return Record($"List {path}", StoragePath.Combine(path, "child"));
    }

    public Task MoveAsync(string sourcePath, string destinationPath, CancellationToken cancellationToken = default) => Task.FromResult(Record($"Move {sourcePath} {destinationPath}", 0));

    public Task DeleteAsync(string path, CancellationToken cancellationToken = default) => Task.FromResult(Record($"Delete {path}", 0));

    public Task<Uri?> RedirectUrlAsync(string path, RedirectOptions options, CancellationToken cancellationToken = default) => Task.FromResult(Record<Uri?>($"RedirectURL {path}", null));

    public async Task WalkAsync(string path, WalkVisitor visitor, WalkOptions? options = null, CancellationToken cancellationToken = default)
    {
        Record($"Walk {path}", 0);
        await visitor(StorageFileInfo.File(StoragePath.Combine(path, "file"), 1, default), cancellationToken);
    }

    public IAsyncEnumerable<PendingUpload> ListUploadsAsync(string path, CancellationToken cancellationToken = default) =>
        ListsUploads ? UploadsAsync(path, cancellationToken) : UploadListing.Unsupported(Name, cancellationToken);

    private async IAsyncEnumerable<PendingUpload> UploadsAsync(string path, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Yield();
        yield return Record($"ListUploads {path}", new PendingUpload(StoragePath.Combine(path, "upload"), 7, DateTimeOffset.UnixEpoch));
    }
}
