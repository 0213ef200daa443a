namespace Registry.Storage;

/// <summary>
/// A write-only stream into a storage path (distribution's <c>FileWriter</c>). Content
/// becomes visible at the path only on <see cref="CommitAsync"/>. Disposing without commit
/// or cancel closes the writer: what was written is kept, and a later
/// <c>WriterAsync(path, append: true)</c> — from this or, where the driver declares
/// <see cref="DriverCapabilities.ResumableWrites"/>, another process — resumes it with
/// <see cref="Size"/> equal to the bytes written so far.
/// </summary>
/// <remarks>
/// Implementations override the <c>…CoreAsync</c> members; this base enforces the state
/// machine (open → committed | cancelled | closed) so every driver reports misuse the same way.
/// A writer is not safe for concurrent use.
/// </remarks>
public abstract class FileWriter : Stream
{
    private WriterState _state = WriterState.Open;

    /// <summary>Creates a writer for <paramref name="path"/> of the driver <paramref name="driverName"/>.</summary>
    protected FileWriter(string driverName, string path)
    {
        DriverName = driverName;
        TargetPath = path;
    }

    /// <summary>The driver this writer belongs to.</summary>
    public string DriverName { get; }

    /// <summary>The storage path being written.</summary>
    public string TargetPath { get; }

    /// <summary>Bytes written so far, including what a resumed writer inherited.</summary>
    public abstract long Size { get; }

    /// <summary>Whether the writer was committed, cancelled or closed.</summary>
    protected bool IsFinished => _state != WriterState.Open;

    /// <summary>Makes the written content visible at the path. The writer is finished afterwards.</summary>
    public async Task CommitAsync(CancellationToken cancellationToken = default)
    {
        EnsureOpen();
        await CommitCoreAsync(cancellationToken).ConfigureAwait(false);
        _state = WriterState.Committed;
    }

    /// <summary>Discards everything written, including what a resumed writer inherited. Nothing appears at the path.</summary>
    public async Task CancelAsync(CancellationToken cancellationToken = default)
    {
        EnsureOpen();
        _state = WriterState.Cancelled;
        await CancelCoreAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Appends <paramref name="buffer"/>.</summary>
    public sealed override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        EnsureOpen();
        if (buffer.Length == 0)
        {
            return;
        }

        await WriteCoreAsync(buffer, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public sealed override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc />
    public sealed override void Write(byte[] buffer, int offset, int count) =>
        WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    /// <inheritdoc />
    public sealed override void Write(ReadOnlySpan<byte> buffer) =>
        WriteAsync(buffer.ToArray()).AsTask().GetAwaiter().GetResult();

    /// <summary>Writes the data into the backend (or a bounded buffer on its way there).</summary>
    protected abstract ValueTask WriteCoreAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken);

    /// <summary>Persists any buffered data and publishes the content at the path.</summary>
    protected abstract Task CommitCoreAsync(CancellationToken cancellationToken);

    /// <summary>Removes everything this upload stored.</summary>
    protected abstract Task CancelCoreAsync(CancellationToken cancellationToken);

    /// <summary>Persists buffered data so a later append can resume; runs when the writer is disposed while open.</summary>
    protected abstract ValueTask CloseCoreAsync();

    /// <summary>Releases resources once the writer is finished; runs on every dispose.</summary>
    protected virtual ValueTask ReleaseAsync() => ValueTask.CompletedTask;

    /// <inheritdoc />
    public sealed override async ValueTask DisposeAsync()
    {
        try
        {
            if (_state == WriterState.Open)
            {
                _state = WriterState.Closed;
                await CloseCoreAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            await ReleaseAsync().ConfigureAwait(false);
            await base.DisposeAsync().ConfigureAwait(false);
        }

        GC.SuppressFinalize(this);
    }

    /// <inheritdoc />
    protected sealed override void Dispose(bool disposing)
    {
        if (disposing && _state == WriterState.Open)
        {
            // Stream.Dispose() reaches here; closing may need I/O, so run the async path.
            DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        base.Dispose(disposing);
    }

    private void EnsureOpen()
    {
        if (_state != WriterState.Open)
        {
            throw new StorageDriverException(DriverName,
                $"the writer for {TargetPath} is already {_state.ToString().ToLowerInvariant()}")
            { Path = TargetPath };
        }
    }

    /// <inheritdoc />
    public sealed override bool CanRead => false;

    /// <inheritdoc />
    public sealed override bool CanSeek => false;

    /// <inheritdoc />
    public sealed override bool CanWrite => _state == WriterState.Open;

    /// <inheritdoc />
    public sealed override long Length => Size;

    /// <inheritdoc />
    public sealed override long Position
    {
        get => Size;
        set => throw new NotSupportedException("A FileWriter only appends.");
    }

    /// <inheritdoc />
    public override void Flush()
    {
    }

    /// <inheritdoc />
    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public sealed override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("A FileWriter is write-only.");

    /// <inheritdoc />
    public sealed override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException("A FileWriter only appends.");

    /// <inheritdoc />
    public sealed override void SetLength(long value) => throw new NotSupportedException("A FileWriter only appends.");

    private enum WriterState
    {
        Open,
        Committed,
        Cancelled,
        Closed,
    }
}
