using Registry.Storage.Kit;

namespace Registry.Storage.Drivers.InMemory;

/// <summary>A read-only, seekable stream over frozen <see cref="ChunkedContent"/>; the content never changes under it.</summary>
internal sealed class ChunkedContentStream(ChunkedContent content, long offset) : SynchronousReadStream
{
    private readonly long _length = content.Length;
    private long _position = offset;

    public override bool CanSeek => true;

    public override long Length => _length;

    public override long Position
    {
        get => _position;
        set => _position = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value));
    }

    public override int Read(Span<byte> buffer)
    {
        var read = _position >= _length ? 0 : content.Read(_position, buffer);
        _position += read;
        return read;
    }
}
