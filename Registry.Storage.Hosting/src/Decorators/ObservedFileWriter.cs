namespace Registry.Storage.Hosting.Decorators;

/// <summary>
/// A <see cref="FileWriter"/> that forwards to the driver's writer and reports what passes
/// through it (bytes written, how it finished) — the writer half of the metrics, tracing
/// and logging decorators. It never buffers: each write goes straight to the inner writer.
/// </summary>
internal sealed class ObservedFileWriter : FileWriter
{
    private readonly FileWriter _inner;
    private readonly Action<long>? _onWritten;
    private readonly Action<string, Exception?>? _onFinished;

    /// <param name="inner">The driver's writer.</param>
    /// <param name="onWritten">Called with the byte count of every successful write.</param>
    /// <param name="onFinished">Called once with <c>commit</c>, <c>cancel</c> or <c>close</c> and the failure, if any.</param>
    public ObservedFileWriter(FileWriter inner, Action<long>? onWritten, Action<string, Exception?>? onFinished)
        : base(inner.DriverName, inner.TargetPath)
    {
        _inner = inner;
        _onWritten = onWritten;
        _onFinished = onFinished;
    }

    public override long Size => _inner.Size;

    protected override async ValueTask WriteCoreAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken)
    {
        await _inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        _onWritten?.Invoke(buffer.Length);
    }

    protected override Task CommitCoreAsync(CancellationToken cancellationToken) => ObserveAsync("commit", () => _inner.CommitAsync(cancellationToken));

    protected override Task CancelCoreAsync(CancellationToken cancellationToken) => ObserveAsync("cancel", () => _inner.CancelAsync(cancellationToken));

    protected override async ValueTask CloseCoreAsync() => await ObserveAsync("close", () => _inner.DisposeAsync().AsTask()).ConfigureAwait(false);

    // A committed or cancelled inner writer still needs disposing to release its resources.
    protected override ValueTask ReleaseAsync() => _inner.DisposeAsync();

    private async Task ObserveAsync(string outcome, Func<Task> call)
    {
        try
        {
            await call().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            _onFinished?.Invoke(outcome, ex);
            throw;
        }

        _onFinished?.Invoke(outcome, null);
    }
}
