using System.Buffers;

namespace Registry.Storage.Kit;

/// <summary>
/// Base for a driver's forward-only reader (a response body, a stripe or segment reader): it
/// reads, never seeks or writes. A driver implements <see cref="ReadCoreAsync"/> (and
/// <see cref="ReadCore"/> when it has a truly synchronous read), maps read failures to driver
/// errors in <see cref="MapReadError"/>, and releases what it holds in
/// <see cref="Release"/> / <see cref="ReleaseAsync"/>; this class answers the rest of
/// <see cref="Stream"/> the same way for every driver.
/// </summary>
/// <remarks>
/// <see cref="Position"/> counts the bytes read on top of the start position given to the
/// constructor; setting it, <see cref="Seek"/>, <see cref="SetLength"/> and writes throw
/// <see cref="NotSupportedException"/>, as does <see cref="Length"/> unless a driver knows it.
/// Reads after disposal throw <see cref="ObjectDisposedException"/>; disposal runs once.
/// </remarks>
public abstract class ForwardOnlyReadStream : Stream
{
    private long _position;
    private bool _isDisposed;

    /// <summary>Starts a reader whose <see cref="Position"/> begins at <paramref name="startPosition"/>.</summary>
    protected ForwardOnlyReadStream(long startPosition = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(startPosition);
        _position = startPosition;
    }

    /// <inheritdoc />
    public sealed override bool CanRead => !_isDisposed;

    /// <inheritdoc />
    public sealed override bool CanSeek => false;

    /// <inheritdoc />
    public sealed override bool CanWrite => false;

    /// <summary>The length of the content, when the driver knows it; otherwise throws <see cref="NotSupportedException"/>.</summary>
    public override long Length => throw new NotSupportedException("This reader does not know the length of its content.");

    /// <summary>The start position plus the bytes read so far; cannot be set.</summary>
    public sealed override long Position
    {
        get => _position;
        set => throw new NotSupportedException("A storage reader reads forward only; open a new reader at the offset instead.");
    }

    /// <inheritdoc />
    public sealed override int Read(byte[] buffer, int offset, int count)
    {
        ValidateBufferArguments(buffer, offset, count);
        return Read(buffer.AsSpan(offset, count));
    }

    /// <inheritdoc />
    public sealed override int Read(Span<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_isDisposed, this);
        int read;
        try
        {
            read = ReadCore(buffer);
        }
        catch (Exception ex) when (MapReadError(ex) is { } mapped)
        {
            throw mapped;
        }

        _position += read;
        return read;
    }

    /// <inheritdoc />
    public sealed override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        ValidateBufferArguments(buffer, offset, count);
        return ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    }

    /// <inheritdoc />
    public sealed override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_isDisposed, this);
        ValueTask<int> pending;
        try
        {
            pending = ReadCoreAsync(buffer, cancellationToken);
        }
        catch (Exception ex) when (MapReadError(ex) is { } mapped)
        {
            throw mapped;
        }

        if (!pending.IsCompletedSuccessfully)
        {
            return AdvanceAsync(pending);
        }

        // Buffered data completes synchronously: no state machine for the common case.
        var read = pending.Result;
        _position += read;
        return ValueTask.FromResult(read);
    }

    /// <summary>Does nothing: a reader has nothing to flush.</summary>
    public sealed override void Flush()
    {
    }

    /// <summary>Throws <see cref="NotSupportedException"/>: a reader reads forward only.</summary>
    public sealed override long Seek(long offset, SeekOrigin origin) =>
        throw new NotSupportedException("A storage reader reads forward only; open a new reader at the offset instead.");

    /// <summary>Throws <see cref="NotSupportedException"/>: a reader is read-only.</summary>
    public sealed override void SetLength(long value) => throw new NotSupportedException("A storage reader is read-only.");

    /// <summary>Throws <see cref="NotSupportedException"/>: a reader is read-only.</summary>
    public sealed override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("A storage reader is read-only.");

    /// <inheritdoc />
    public sealed override async ValueTask DisposeAsync()
    {
        if (!_isDisposed)
        {
            _isDisposed = true;
            await ReleaseAsync().ConfigureAwait(false);
        }

        await base.DisposeAsync().ConfigureAwait(false);
        GC.SuppressFinalize(this);
    }

    /// <summary>Reads up to <paramref name="buffer"/>'s length of the next bytes; 0 at the end of the content.</summary>
    protected abstract ValueTask<int> ReadCoreAsync(Memory<byte> buffer, CancellationToken cancellationToken);

    /// <summary>
    /// The synchronous read. By default it waits for <see cref="ReadCoreAsync"/> (through a pooled
    /// buffer, as a span cannot cross an await); a driver whose source reads synchronously overrides it.
    /// </summary>
    protected virtual int ReadCore(Span<byte> buffer)
    {
        var rented = ArrayPool<byte>.Shared.Rent(buffer.Length);
        try
        {
            var read = ReadCoreAsync(rented.AsMemory(0, buffer.Length), CancellationToken.None).AsTask().GetAwaiter().GetResult();
            rented.AsSpan(0, read).CopyTo(buffer);
            return read;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Releases what the reader holds; called once, on the first synchronous disposal.</summary>
    protected virtual void Release()
    {
    }

    /// <summary>Releases what the reader holds; called once, on the first asynchronous disposal. By default runs <see cref="Release"/>.</summary>
    protected virtual ValueTask ReleaseAsync()
    {
        Release();
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    protected sealed override void Dispose(bool disposing)
    {
        if (disposing && !_isDisposed)
        {
            _isDisposed = true;
            Release();
        }

        base.Dispose(disposing);
    }

    /// <summary>
    /// The error a failed read surfaces as (a driver error naming the path, say), or
    /// <see langword="null"/> to let <paramref name="exception"/> through unchanged, as by default.
    /// Applies to synchronous and asynchronous reads alike.
    /// </summary>
    protected virtual Exception? MapReadError(Exception exception) => null;

    private async ValueTask<int> AdvanceAsync(ValueTask<int> pending)
    {
        int read;
        try
        {
            read = await pending.ConfigureAwait(false);
        }
        catch (Exception ex) when (MapReadError(ex) is { } mapped)
        {
            throw mapped;
        }

        _position += read;
        return read;
    }
}
