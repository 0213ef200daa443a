namespace Registry.Storage.Hosting.Decorators;

/// <summary>
/// Gives every driver call a deadline through a linked <see cref="CancellationTokenSource"/>;
/// a call that overruns fails with a transient <see cref="StorageDriverException"/> naming
/// the driver, the operation and the path (so the retry decorator outside it may try
/// again). Cancellation by the caller stays an <see cref="OperationCanceledException"/>.
/// </summary>
/// <remarks>
/// The deadline covers opening a reader or writer, not the transfer afterwards (a 5 GiB
/// layer has no sensible per-call deadline), the first entry of a listing, and a whole
/// walk is not bounded at all because it includes the caller's visitor. A driver that
/// ignores its token is still abandoned at the deadline (<see cref="Task.WaitAsync(CancellationToken)"/>).
/// </remarks>
public sealed class TimeoutDriver : InterceptingDriver
{
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _time;

    /// <summary>Wraps <paramref name="inner"/> with a deadline of <paramref name="timeout"/> per call.</summary>
    public TimeoutDriver(IStorageDriver inner, TimeSpan timeout, TimeProvider? timeProvider = null)
        : base(inner)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        _timeout = timeout;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The deadline per call.</summary>
    public TimeSpan Timeout => _timeout;

    /// <inheritdoc />
    protected override async Task<T> InvokeAsync<T>(StorageOperation operation, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(call);
        if (operation.Name == "Walk")
        {
            return await call(cancellationToken).ConfigureAwait(false);
        }

        using var deadline = new CancellationTokenSource(_timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            return await call(linked.Token).WaitAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new StorageDriverException(Name, $"{operation.Name} {operation.Path} timed out after {_timeout.TotalSeconds:0.###} s", new TimeoutException(ex.Message, ex))
            {
                Path = operation.Path,
                IsTransient = true,
            };
        }
    }
}
