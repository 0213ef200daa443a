namespace Registry.Storage.Hosting.Decorators;

/// <summary>
/// A read-only stream over a driver's reader that reports the bytes read, and may end the
/// content early (the fault injector's truncated reads). Reads pass straight through.
/// </summary>
internal sealed class ObservedReadStream(Stream inner, Action<long>? onRead, long? truncateAfter = null) : Stream
{
    private long _read;
    private bool _disposed;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException("A driver reader is not seekable.");

    public override long Position
    {
        get => _read;
        set => throw new NotSupportedException("A driver reader is not seekable.");
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var n = inner.Read(buffer[..Allowed(buffer.Length)]);
        return Count(n);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var n = await inner.ReadAsync(buffer[..Allowed(buffer.Length)], cancellationToken).ConfigureAwait(false);
        return Count(n);
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException("A driver reader is not seekable.");

    public override void SetLength(long value) => throw new NotSupportedException("A driver reader is read-only.");

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("A driver reader is read-only.");

    public override async ValueTask DisposeAsync()
    {
        if (!_disposed)
        {
            _disposed = true;
            await inner.DisposeAsync().ConfigureAwait(false);
        }

        await base.DisposeAsync().ConfigureAwait(false);
        GC.SuppressFinalize(this);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private int Allowed(int requested) =>
        truncateAfter is { } limit ? (int)Math.Min(requested, Math.Max(0, limit - _read)) : requested;

    private int Count(int n)
    {
        _read += n;
        if (n > 0)
        {
            onRead?.Invoke(n);
        }

        return n;
    }
}
