namespace Registry.Storage.Kit;

/// <summary>
/// Base for a driver's reader whose reads complete at once (content in memory, a local file):
/// the asynchronous reads run the synchronous <see cref="Read(Span{byte})"/> inline instead of
/// hopping to another thread (which is all <see cref="Stream"/>'s default does, at a cost per
/// read), and writing throws. A driver supplies <see cref="Read(Span{byte})"/>,
/// <see cref="Stream.Length"/>, <see cref="Stream.Position"/> and <see cref="Stream.CanSeek"/>;
/// <see cref="Seek"/> moves <see cref="Stream.Position"/>, so a reader that cannot seek overrides it.
/// </summary>
public abstract class SynchronousReadStream : Stream
{
    /// <inheritdoc />
    public override bool CanRead => true;

    /// <inheritdoc />
    public sealed override bool CanWrite => false;

    /// <inheritdoc />
    public abstract override int Read(Span<byte> buffer);

    /// <inheritdoc />
    public sealed override int Read(byte[] buffer, int offset, int count)
    {
        ValidateBufferArguments(buffer, offset, count);
        return Read(buffer.AsSpan(offset, count));
    }

    /// <summary>Runs <see cref="Read(Span{byte})"/> inline.</summary>
    public sealed override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Read(buffer.Span));
    }

    /// <summary>Runs <see cref="Read(Span{byte})"/> inline.</summary>
    public sealed override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        ValidateBufferArguments(buffer, offset, count);
        return ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    }

    /// <summary>Moves <see cref="Stream.Position"/> relative to the start, the current position or <see cref="Stream.Length"/>.</summary>
    public override long Seek(long offset, SeekOrigin origin)
    {
        Position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => Position + offset,
            SeekOrigin.End => Length + offset,
            _ => throw new ArgumentOutOfRangeException(nameof(origin)),
        };
        return Position;
    }

    /// <summary>Does nothing: a reader has nothing to flush.</summary>
    public sealed override void Flush()
    {
    }

    /// <summary>Throws <see cref="NotSupportedException"/>: a reader is read-only.</summary>
    public sealed override void SetLength(long value) => throw new NotSupportedException("A storage reader is read-only.");

    /// <summary>Throws <see cref="NotSupportedException"/>: a reader is read-only.</summary>
    public sealed override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("A storage reader is read-only.");
}
