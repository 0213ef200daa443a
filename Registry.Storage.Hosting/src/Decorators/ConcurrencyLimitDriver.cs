namespace Registry.Storage.Hosting.Decorators;

/// <summary>
/// Bounds how many driver calls run at once (distribution's <c>maxthreads</c> regulator,
/// <c>base/regulator.go</c>): each call waits for a slot of a <see cref="SemaphoreSlim"/>
/// and gives it back when it returns. Distribution uses it to keep the filesystem driver
/// from exhausting OS threads; for network drivers it caps connections per backend.
/// </summary>
/// <remarks>
/// As in distribution, a slot is held while a reader or writer is being opened, not while
/// the caller moves bytes through it. A walk gives its slot back while the caller's
/// visitor runs, so a visitor that calls the same driver cannot deadlock on the limit.
/// </remarks>
public sealed class ConcurrencyLimitDriver : InterceptingDriver, IDisposable
{
    private readonly SemaphoreSlim _slots;

    // The slot of the walk in progress on this async flow, handed to its visitor wrapper.
    private readonly AsyncLocal<Slot?> _walkSlot = new();

    /// <summary>Wraps <paramref name="inner"/> allowing <paramref name="limit"/> concurrent calls.</summary>
    public ConcurrencyLimitDriver(IStorageDriver inner, int limit)
        : base(inner)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        Limit = limit;
        _slots = new SemaphoreSlim(limit, limit);
    }

    /// <summary>The most calls that run at once.</summary>
    public int Limit { get; }

    /// <summary>Slots free right now (for diagnostics and tests).</summary>
    public int Available => _slots.CurrentCount;

    /// <inheritdoc />
    protected override async Task<T> InvokeAsync<T>(StorageOperation operation, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        var slot = new Slot(_slots);
        await slot.EnterAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (operation is { Name: "Walk" })
            {
                _walkSlot.Value = slot;
            }

            return await call(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            slot.Exit();
        }
    }

    /// <inheritdoc />
    protected override WalkVisitor WrapVisitor(StorageOperation operation, WalkVisitor visitor)
    {
        ArgumentNullException.ThrowIfNull(visitor);
        return async (entry, ct) =>
        {
            var slot = _walkSlot.Value;
            slot?.Exit();
            try
            {
                return await visitor(entry, ct).ConfigureAwait(false);
            }
            finally
            {
                if (slot is not null)
                {
                    await slot.EnterAsync(ct).ConfigureAwait(false);
                }
            }
        };
    }

    /// <inheritdoc />
    public void Dispose() => _slots.Dispose();

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        _slots.Dispose();
        await base.DisposeAsync().ConfigureAwait(false);
    }

    // Tracks whether this call holds its slot, so a visitor's give-back and the final exit never release twice.
    private sealed class Slot(SemaphoreSlim semaphore)
    {
        private bool _held;

        public async Task EnterAsync(CancellationToken cancellationToken)
        {
            await semaphore.WaitAsync(cancellationToken).ConfigureAwait(false);
            _held = true;
        }

        public void Exit()
        {
            if (_held)
            {
                _held = false;
                semaphore.Release();
            }
        }
    }
}
