using Registry.Storage.Kit;

namespace Registry.Storage.Tests;

/// <summary>The members <see cref="SynchronousReadStream"/> answers for the readers of content at hand.</summary>
public class SynchronousReadStreamTests
{
    private static readonly byte[] Content = [.. Enumerable.Range(0, 64).Select(i => (byte)i)];

    [Test]
    public async Task Async_reads_complete_inline_with_the_synchronous_read()
    {
        using var stream = new ArrayReader(Content);
        var buffer = new byte[10];
        var pending = stream.ReadAsync(buffer.AsMemory());
        pending.IsCompletedSuccessfully.ShouldBeTrue();
        (await pending).ShouldBe(10);
        (await stream.ReadAsync(buffer, 0, 4)).ShouldBe(4);
        stream.Read(buffer, 0, 10).ShouldBe(10);
        buffer.ShouldBe(Content[14..24]);
        stream.Position.ShouldBe(24);
    }

    [Test]
    public async Task A_cancelled_async_read_reads_nothing()
    {
        using var stream = new ArrayReader(Content);
        await Should.ThrowAsync<OperationCanceledException>(async () => (await stream.ReadAsync(new byte[4], new CancellationToken(canceled: true))).ShouldBe(0));
        stream.Position.ShouldBe(0);
    }

    [TestCase(5, SeekOrigin.Begin, 5)]
    [TestCase(3, SeekOrigin.Current, 13)]
    [TestCase(-4, SeekOrigin.End, 60)]
    public void Seek_moves_the_position_from_the_origin(long offset, SeekOrigin origin, long expected)
    {
        using var stream = new ArrayReader(Content) { Position = 10 };
        stream.Seek(offset, origin).ShouldBe(expected);
        stream.Position.ShouldBe(expected);
        stream.ReadByte().ShouldBe(Content[expected]);
    }

    [Test]
    public void Writing_throws_not_supported()
    {
        using var stream = new ArrayReader(Content);
        stream.CanRead.ShouldBeTrue();
        stream.CanWrite.ShouldBeFalse();
        Should.Throw<NotSupportedException>(() => stream.SetLength(0));
        Should.Throw<NotSupportedException>(() => stream.Write([1], 0, 1));
        Should.Throw<NotSupportedException>(() => stream.WriteByte(1));
        Should.Throw<ArgumentOutOfRangeException>(() => stream.Seek(0, (SeekOrigin)7));
        stream.Flush();
    }

    /// <summary>Implements only what <see cref="SynchronousReadStream"/> leaves to a driver.</summary>
    private sealed class ArrayReader(byte[] content) : SynchronousReadStream
    {
        public override bool CanSeek => true;

        public override long Length => content.Length;

        public override long Position { get; set; }

        public override int Read(Span<byte> buffer)
        {
            var take = (int)Math.Clamp(content.Length - Position, 0, buffer.Length);
            content.AsSpan((int)Position, take).CopyTo(buffer);
            Position += take;
            return take;
        }
    }
}
