using Registry.Storage.Kit;

namespace Registry.Storage.Drivers.Swift;

/// <summary>
/// A response body that releases its HTTP response (and connection) when disposed. A body that
/// breaks off mid-stream (a reset connection) is picked up again with a ranged GET from the byte
/// reached, pinned with If-Match to the ETag the read began with (at most 3 times), so a replaced
/// object fails the read instead of splicing two versions, as the s3 and oss readers do; what cannot
/// be resumed is a driver error naming the object.
/// </summary>
internal sealed class ResponseStream : ForwardOnlyReadStream
{
    /// <summary>Opens the object again from <c>next</c> to <c>end</c> (exclusive) if it is still the same version; null when it was replaced.</summary>
    public delegate Task<(HttpResponseMessage Response, Stream Body)?> Reopen(long next, long end, CancellationToken cancellationToken);

    // Resumes per reader: a connection that keeps breaking is a fault to report, not to hide.
    private const int MaxResumes = 3;

    private readonly string _key;
    private readonly Reopen? _reopen;
    private readonly long _end;
    private HttpResponseMessage _response;
    private Stream _body;
    private long _next;
    private int _resumes;

    public ResponseStream(HttpResponseMessage response, Stream body, string key, long offset = 0, long? length = null, Reopen? reopen = null)
    {
        _response = response;
        _body = body;
        _key = key;
        _next = offset;
        _end = offset + (length ?? 0);
        _reopen = length is null ? null : reopen;
    }

    protected override async ValueTask<int> ReadCoreAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                var read = await _body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
                if (read == 0 && _reopen is not null && _next < _end && buffer.Length > 0)
                {
                    // The body ended before its Content-Length: as broken as a reset.
                    throw new IOException($"the response ended at byte {_next} of {_end}");
                }

                _next += read;
                return read;
            }
            catch (Exception ex) when (ex is IOException or HttpRequestException && _reopen is not null && _resumes < MaxResumes && !cancellationToken.IsCancellationRequested)
            {
                if (_next >= _end)
                {
                    return 0; // every byte arrived; only the connection's end broke
                }

                _resumes++;
                await ResumeAsync(ex, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    protected override int ReadCore(Span<byte> buffer)
    {
        var read = _body.Read(buffer);
        _next += read;
        return read;
    }

    protected override Exception? MapReadError(Exception exception) =>
        exception is IOException or HttpRequestException ? SwiftErrors.Wrap("read", _key, exception) : null;

    protected override void Release()
    {
        _body.Dispose();
        _response.Dispose();
    }

    private async Task ResumeAsync(Exception broken, CancellationToken cancellationToken)
    {
        await _body.DisposeAsync().ConfigureAwait(false);
        _response.Dispose();
        var reopened = await _reopen!(_next, _end, cancellationToken).ConfigureAwait(false)
            ?? throw new StorageDriverException(SwiftErrors.DriverName, $"read {_key}: the object was replaced while it was being read (at byte {_next} of {_end}); read it again", broken);
        (_response, _body) = reopened;
    }
}
