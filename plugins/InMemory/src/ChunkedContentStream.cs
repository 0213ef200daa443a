namespace Registry.Storage.Drivers.InMemory;

/// <summary>A read-only, seekable stream over frozen <see cref="ChunkedContent"/>; the content never changes under it.</summary>
internal sealed class ChunkedContentStream : Stream
{
    private readonly ChunkedContent _content;
    private readonly long _length;
    private long _position;

    public ChunkedContentStream(ChunkedContent content, long offset)
    {
        _content = content;
        _length = content.Length;
        _position = offset;
    }

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length => _length;

    public override long Position
    {
        get => _position;
        set => _position = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value));
    }

    public override int Read(Span<byte> buffer)
    {
        var read = _position >= _length ? 0 : _content.Read(_position, buffer);
        _position += read;
        return read;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Read(buffer.Span));
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override long Seek(long offset, SeekOrigin origin)
    {
        Position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            SeekOrigin.End => _length + offset,
            _ => throw new ArgumentOutOfRangeException(nameof(origin)),
        };
        return _position;
    }

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException("An inmemory reader is read-only.");

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("An inmemory reader is read-only.");
}
