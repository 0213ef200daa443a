using Registry.Storage.Kit;

namespace Registry.Storage.Tests;

/// <summary>The members <see cref="ForwardOnlyReadStream"/> answers for every driver's reader.</summary>
public class ForwardOnlyReadStreamTests
{
    private static readonly byte[] Content = [.. Enumerable.Range(0, 100).Select(i => (byte)i)];

    [Test]
    public async Task Position_counts_bytes_read_from_the_start_position_by_every_read_overload()
    {
        await using var stream = new ChunkReader(Content, chunk: 7, startPosition: 1000);
        stream.Position.ShouldBe(1000);
        var buffer = new byte[10];
        (await stream.ReadAsync(buffer.AsMemory())).ShouldBe(7);
        (await stream.ReadAsync(buffer, 0, 10)).ShouldBe(7);
        stream.Read(buffer, 0, 10).ShouldBe(7);
        stream.Read(buffer.AsSpan()).ShouldBe(7);
        stream.ReadByte().ShouldBe(28);
        stream.Position.ShouldBe(1029);
    }

    [Test]
    public async Task Reads_return_the_content_in_order_sync_and_async_alike()
    {
        await using var asyncCopy = new MemoryStream();
        await using (var stream = new ChunkReader(Content, chunk: 13, startPosition: 0))
        {
            await stream.CopyToAsync(asyncCopy);
        }

        using var syncCopy = new MemoryStream();
        using (var stream = new ChunkReader(Content, chunk: 13, startPosition: 0, completeSynchronously: false))
        {
            stream.CopyTo(syncCopy);
            stream.Position.ShouldBe(Content.Length);
        }

        asyncCopy.ToArray().ShouldBe(Content);
        syncCopy.ToArray().ShouldBe(Content);
    }

    [Test]
    public async Task Reads_that_complete_later_also_advance_the_position()
    {
        await using var stream = new ChunkReader(Content, chunk: 50, startPosition: 0, completeSynchronously: false);
        (await stream.ReadAsync(new byte[80])).ShouldBe(50);
        stream.Position.ShouldBe(50);
    }

    [Test]
    public void Seeking_writing_and_unknown_length_throw_not_supported()
    {
        using var stream = new ChunkReader(Content, chunk: 10, startPosition: 0);
        stream.CanRead.ShouldBeTrue();
        stream.CanSeek.ShouldBeFalse();
        stream.CanWrite.ShouldBeFalse();
        Should.Throw<NotSupportedException>(() => stream.Length);
        Should.Throw<NotSupportedException>(() => stream.Position = 0);
        Should.Throw<NotSupportedException>(() => stream.Seek(0, SeekOrigin.Begin));
        Should.Throw<NotSupportedException>(() => stream.SetLength(0));
        Should.Throw<NotSupportedException>(() => stream.Write([1], 0, 1));
        Should.Throw<NotSupportedException>(() => stream.WriteByte(1));
        stream.Flush();
    }

    [Test]
    public async Task Disposal_releases_once_and_later_reads_throw_object_disposed()
    {
        var stream = new ChunkReader(Content, chunk: 10, startPosition: 0);
        await stream.DisposeAsync();
        stream.Dispose();
        await stream.DisposeAsync();
        stream.Releases.ShouldBe(["async"]);
        stream.CanRead.ShouldBeFalse();
        Should.Throw<ObjectDisposedException>(() => stream.Read(new byte[1], 0, 1));
        await Should.ThrowAsync<ObjectDisposedException>(async () => (await stream.ReadAsync(new byte[1])).ShouldBe(0));

        var syncDisposed = new ChunkReader(Content, chunk: 10, startPosition: 0);
        syncDisposed.Dispose();
        await syncDisposed.DisposeAsync();
        syncDisposed.Releases.ShouldBe(["sync"]);
    }

    [Test]
    public void Errors_from_the_core_read_reach_the_caller_unchanged()
    {
        using var stream = new ChunkReader(Content, chunk: 10, startPosition: 0) { Failure = new IOException("broken") };
        Should.Throw<IOException>(() => stream.Read(new byte[4], 0, 4)).Message.ShouldBe("broken");
        stream.Position.ShouldBe(0);
    }

    [TestCase(true)]
    [TestCase(false)]
    public async Task Read_errors_surface_as_the_driver_maps_them_on_every_read_path(bool completeSynchronously)
    {
        var failure = new IOException("connection reset");
        await using var stream = new ChunkReader(Content, chunk: 10, startPosition: 0, completeSynchronously) { Failure = failure, MapsErrors = true };

        var sync = Should.Throw<StorageDriverException>(() => stream.Read(new byte[4], 0, 4));
        var async = await Should.ThrowAsync<StorageDriverException>(async () => (await stream.ReadAsync(new byte[4])).ShouldBe(0));
        var arrayAsync = await Should.ThrowAsync<StorageDriverException>(() => stream.ReadAsync(new byte[4], 0, 4));

        foreach (var error in new[] { sync, async, arrayAsync })
        {
            error.Path.ShouldBe("/blob");
            error.InnerException.ShouldBeSameAs(failure);
        }

        stream.Position.ShouldBe(0);
    }

    [Test]
    public async Task Errors_the_driver_does_not_map_pass_through()
    {
        await using var stream = new ChunkReader(Content, chunk: 10, startPosition: 0) { Failure = new InvalidOperationException("bug"), MapsErrors = true };
        await Should.ThrowAsync<InvalidOperationException>(async () => (await stream.ReadAsync(new byte[4])).ShouldBe(0));
    }

    /// <summary>Serves <c>content</c> at most <c>chunk</c> bytes a read, only through <see cref="ReadCoreAsync"/>.</summary>
    private sealed class ChunkReader(byte[] content, int chunk, long startPosition, bool completeSynchronously = true)
        : ForwardOnlyReadStream(startPosition)
    {
        private int _offset;

        public List<string> Releases { get; } = [];

        public Exception? Failure { get; init; }

        public bool MapsErrors { get; init; }

        protected override Exception? MapReadError(Exception exception) =>
            MapsErrors && exception is IOException ? new StorageDriverException("test", "read failed", exception) { Path = "/blob" } : null;

        protected override async ValueTask<int> ReadCoreAsync(Memory<byte> buffer, CancellationToken cancellationToken)
        {
            if (!completeSynchronously)
            {
                await Task.Yield();
            }

            if (Failure is not null)
            {
                throw Failure;
            }

            var take = Math.Min(Math.Min(chunk, buffer.Length), content.Length - _offset);
            content.AsMemory(_offset, take).CopyTo(buffer);
            _offset += take;
            return take;
        }

        protected override void Release() => Releases.Add("sync");

        protected override ValueTask ReleaseAsync()
        {
            Releases.Add("async");
            return ValueTask.CompletedTask;
        }
    }
}
