namespace Registry.Storage.Hosting.Migration;

/// <summary>
/// Shares a bytes-per-second budget across all transfers (<c>--bwlimit</c>): each read
/// reserves its bytes on one timeline and waits until its reservation starts, so the
/// long-run rate never exceeds the limit whatever the number of transfers.
/// </summary>
public sealed class BandwidthLimiter(long bytesPerSecond, TimeProvider? timeProvider = null)
{
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;
    private readonly Lock _gate = new();
    private DateTimeOffset _nextFree = DateTimeOffset.MinValue;

    /// <summary>Waits until <paramref name="bytes"/> may pass.</summary>
    public async ValueTask WaitAsync(int bytes, CancellationToken cancellationToken)
    {
        if (bytesPerSecond <= 0 || bytes <= 0)
        {
            return;
        }

        TimeSpan wait;
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            var start = _nextFree > now ? _nextFree : now;
            _nextFree = start + TimeSpan.FromSeconds((double)bytes / bytesPerSecond);
            wait = start - now;
        }

        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
        }
    }
}
