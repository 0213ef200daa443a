using Registry.Storage.Kit;

namespace Registry.Storage.Drivers.Swift;

/// <summary>
/// A response body that releases its HTTP response (and connection) when disposed. A body that
/// breaks off mid-stream (a reset connection) is picked up again with a ranged GET from the byte
/// reached, pinned with If-Match to the ETag the read began with (<see cref="ResumableReadStream"/>),
/// so a replaced object fails the read instead of splicing two versions; what cannot be resumed is a
/// driver error naming the object.
/// </summary>
internal sealed class ResponseStream : ResumableReadStream
{
    /// <summary>Opens the object again from <c>next</c> to <c>end</c> (exclusive) if it is still the same version; null when it was replaced.</summary>
    public delegate Task<(HttpResponseMessage Response, Stream Body)?> Reopen(long next, long end, CancellationToken cancellationToken);

    private readonly string _key;
    private readonly Reopen? _reopen;
    private HttpResponseMessage _response;

    public ResponseStream(HttpResponseMessage response, Stream body, string key, long offset = 0, long? length = null, Reopen? reopen = null)
        : base(body, offset, reopen is null ? null : length)
    {
        _response = response;
        _key = key;
        _reopen = reopen;
    }

    protected override bool CanResume => _reopen is not null;

    protected override Exception? MapReadError(Exception exception) =>
        exception is IOException or HttpRequestException ? SwiftErrors.Wrap("read", _key, exception) : null;

    protected override void Release()
    {
        Body.Dispose();
        _response.Dispose();
    }

    protected override async ValueTask<Stream> ReopenAsync(long next, long end, Exception broken, CancellationToken cancellationToken)
    {
        await Body.DisposeAsync().ConfigureAwait(false);
        _response.Dispose();
        var reopened = await _reopen!(next, end, cancellationToken).ConfigureAwait(false)
            ?? throw Replaced(SwiftErrors.DriverName, _key, next, end, broken);
        (_response, var body) = reopened;
        return body;
    }
}
