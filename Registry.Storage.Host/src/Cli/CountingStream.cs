namespace Registry.Storage.Host.Cli;

/// <summary>A read-only pass-through that counts the bytes read, for a progress line on a terminal.</summary>
/// <param name="inner">The stream read.</param>
/// <param name="abandonReadsOnCancel">
/// Whether an asynchronous read gives up when its token is cancelled even though the source's
/// read does not (stdin, a pipe: Ctrl-C must not wait for the next byte). The abandoned read then
/// fills a private buffer that is never used again, never the caller's.
/// </param>
internal sealed class CountingStream(Stream inner, bool abandonReadsOnCancel = false) : Stream
{
    private long _read;
    private byte[]? _readBuffer;

    /// <summary>Bytes read so far.</summary>
    public long BytesRead => Interlocked.Read(ref _read);

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => inner.Length;

    public override long Position
    {
        get => BytesRead;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

    public override int Read(Span<byte> buffer) => Count(inner.Read(buffer));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (!abandonReadsOnCancel)
        {
            return Count(await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));
        }

        var own = _readBuffer is { } kept && kept.Length >= buffer.Length ? kept : new byte[buffer.Length];
        _readBuffer = null; // taken: a read abandoned below keeps it for itself
        var read = await inner.ReadAsync(own.AsMemory(0, buffer.Length), CancellationToken.None).AsTask().WaitAsync(cancellationToken).ConfigureAwait(false);
        own.AsSpan(0, read).CopyTo(buffer.Span);
        _readBuffer = own;
        return Count(read);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <summary>The size to expect, when the stream knows it.</summary>
    public long? KnownLength()
    {
        try
        {
            return inner.CanSeek ? inner.Length - inner.Position : inner.Length;
        }
        catch (NotSupportedException)
        {
            return null;
        }
    }

    private int Count(int read)
    {
        Interlocked.Add(ref _read, read);
        return read;
    }
}
