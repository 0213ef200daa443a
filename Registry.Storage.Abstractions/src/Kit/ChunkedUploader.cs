using System.Collections.Concurrent;

namespace Registry.Storage.Kit;

/// <summary>One chunk handed to an upload callback.</summary>
/// <param name="Index">0-based chunk number within this writer session.</param>
/// <param name="Data">The bytes; valid only until the callback's task completes.</param>
public readonly record struct Chunk(int Index, ReadOnlyMemory<byte> Data);

/// <summary>
/// Cuts a stream of writes into fixed-size chunks and uploads them with bounded
/// parallelism — the engine behind multipart (S3, OSS), block (Azure), segment (Swift) and
/// stripe (RADOS) writers. Memory is at most <c>chunkSize × (maxConcurrency + 1)</c>,
/// whatever the blob's size: a write waits for a free upload slot before it takes a buffer.
/// </summary>
public sealed class ChunkedUploader : IAsyncDisposable
{
    private readonly int _chunkSize;
    private readonly Func<Chunk, CancellationToken, Task> _upload;
    private readonly SemaphoreSlim _slots;
    private readonly List<Task> _inFlight = [];
    private readonly CancellationTokenSource _failed = new();

    // A private pool of exactly-sized buffers rather than ArrayPool.Shared, which rounds a
    // 10 MiB request up to 16 MiB and keeps extra arrays alive: at most maxConcurrency + 1
    // buffers ever exist (one filling, the rest uploading), measured on the s3 writer.
    private readonly ConcurrentBag<byte[]> _free = [];
    private byte[]? _current;
    private int _filled;
    private Exception? _failure;

    /// <summary>Creates an uploader.</summary>
    /// <param name="chunkSize">Every chunk but the last has exactly this size.</param>
    /// <param name="maxConcurrency">Chunks uploading at once.</param>
    /// <param name="upload">Uploads one chunk; called concurrently.</param>
    /// <param name="firstIndex">The index of the first chunk (a resumed writer continues numbering).</param>
    public ChunkedUploader(int chunkSize, int maxConcurrency, Func<Chunk, CancellationToken, Task> upload, int firstIndex = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConcurrency, 1);
        _chunkSize = chunkSize;
        _upload = upload;
        _slots = new SemaphoreSlim(maxConcurrency, maxConcurrency);
        NextIndex = firstIndex;
    }

    /// <summary>The index the next dispatched chunk gets.</summary>
    public int NextIndex { get; private set; }

    /// <summary>Bytes accepted but not yet dispatched (less than one chunk).</summary>
    public int PendingLength => _filled;

    /// <summary>The bytes accepted but not yet dispatched.</summary>
    public ReadOnlyMemory<byte> Pending => _current is null ? ReadOnlyMemory<byte>.Empty : _current.AsMemory(0, _filled);

    /// <summary>Accepts bytes, dispatching every full chunk.</summary>
    public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        ThrowIfFailed();
        while (data.Length > 0)
        {
            _current ??= _free.TryTake(out var reused) ? reused : new byte[_chunkSize];
            var take = Math.Min(data.Length, _chunkSize - _filled);
            data[..take].CopyTo(_current.AsMemory(_filled));
            _filled += take;
            data = data[take..];
            if (_filled == _chunkSize)
            {
                await DispatchAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Dispatches the pending bytes (if any) as a final, possibly short, chunk and waits for every upload.</summary>
    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        if (_filled > 0)
        {
            await DispatchAsync(cancellationToken).ConfigureAwait(false);
        }

        await DrainAsync().ConfigureAwait(false);
    }

    /// <summary>Waits for every dispatched chunk, leaving the pending bytes in place.</summary>
    public async Task DrainAsync()
    {
        Task[] running;
        lock (_inFlight)
        {
            running = [.. _inFlight];
        }

        try
        {
            await Task.WhenAll(running).ConfigureAwait(false);
        }
        catch
        {
            // the first failure is recorded in _failure; rethrow that one below
        }

        ThrowIfFailed();
    }

    /// <summary>Drops the pending bytes without uploading them.</summary>
    public void DiscardPending() => _filled = 0;

    private async Task DispatchAsync(CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        ThrowIfFailedReleasing();
        var buffer = _current!;
        var chunk = new Chunk(NextIndex++, buffer.AsMemory(0, _filled));
        _current = null;
        _filled = 0;
        var task = RunAsync(chunk, buffer, cancellationToken);
        lock (_inFlight)
        {
            _inFlight.RemoveAll(t => t.IsCompleted);
            _inFlight.Add(task);
        }
    }

    private async Task RunAsync(Chunk chunk, byte[] buffer, CancellationToken cancellationToken)
    {
        try
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _failed.Token);
            await Task.Yield();
            await _upload(chunk, linked.Token).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Interlocked.CompareExchange(ref _failure, ex, null);
            await _failed.CancelAsync().ConfigureAwait(false);
            throw;
        }
        finally
        {
            _free.Add(buffer);
            _slots.Release();
        }
    }

    private void ThrowIfFailedReleasing()
    {
        if (_failure is not null)
        {
            _slots.Release();
            ThrowIfFailed();
        }
    }

    private void ThrowIfFailed()
    {
        if (_failure is { } failure)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        try
        {
            await DrainAsync().ConfigureAwait(false);
        }
        catch
        {
            // disposal only releases buffers; the writer reported the failure already
        }

        _current = null;
        _free.Clear();

        _failed.Dispose();
        _slots.Dispose();
    }
}
