using Registry.Storage.Kit;

namespace Registry.Storage.Drivers.Oss;

/// <summary>
/// A GetObject body that releases its HTTP response (and connection) when disposed. A body that
/// breaks off mid-stream (a reset connection) is picked up again with a ranged GET from the byte
/// reached, pinned with If-Match to the ETag the read started with, so a replaced object fails the
/// read instead of splicing two versions (as the s3 reader does); what cannot be resumed fails as a
/// transient error naming the driver and the path.
/// </summary>
internal sealed class OssReadStream : ForwardOnlyReadStream
{
    // Resumes per reader: a connection that keeps breaking is a fault to report, not to hide.
    private const int MaxResumes = 3;

    private readonly OssClient _client;
    private readonly string _key;
    private readonly string _path;
    private readonly string? _etag;
    private readonly long _start;
    private readonly long _end;
    private HttpResponseMessage _response;
    private Stream _body;
    private long _next;
    private int _resumes;

    private OssReadStream(OssClient client, string key, string path, long offset, HttpResponseMessage response, Stream body)
    {
        _client = client;
        _key = key;
        _path = path;
        _response = response;
        _body = body;
        _etag = response.Headers.ETag?.ToString();
        _start = offset;
        _next = offset;
        _end = offset + (response.Content.Headers.ContentLength ?? throw new NotSupportedException("GetObject answered without a Content-Length"));
    }

    public override long Length => _end - _start;

    public static async Task<OssReadStream> OpenAsync(OssClient client, string key, string path, long offset, HttpResponseMessage response, CancellationToken cancellationToken) =>
        new(client, key, path, offset, response, await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false));

    protected override async ValueTask<int> ReadCoreAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                var read = await _body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
                if (read == 0 && _next < _end)
                {
                    // The body ended before its Content-Length: as broken as a reset.
                    throw new IOException($"the response ended at byte {_next} of {_end}");
                }

                _next += read;
                return read;
            }
            catch (Exception ex) when (ex is IOException or HttpRequestException && _resumes < MaxResumes && _etag is not null && !cancellationToken.IsCancellationRequested)
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

    protected override Exception? MapReadError(Exception exception) =>
        exception is IOException or HttpRequestException ? OssErrors.Network(_client.DriverName, "Read", _path, exception) : null;

    protected override void Release()
    {
        _body.Dispose();
        _response.Dispose();
    }

    protected override async ValueTask ReleaseAsync()
    {
        await _body.DisposeAsync().ConfigureAwait(false);
        _response.Dispose();
    }

    private async Task ResumeAsync(Exception broken, CancellationToken cancellationToken)
    {
        await _body.DisposeAsync().ConfigureAwait(false);
        _response.Dispose();
        HttpResponseMessage? response;
        try
        {
            response = await _client.GetObjectAsync(_key, _next, _path, cancellationToken, ifMatch: _etag, end: _end).ConfigureAwait(false);
        }
        catch (OssObjectReplacedException replaced)
        {
            throw new StorageDriverException(_client.DriverName,
                $"read {_path}: the object was replaced while it was being read (at byte {_next} of {_end}); read it again", new AggregateException(broken, replaced))
            {
                Path = _path,
            };
        }

        _response = response ?? throw new StorageDriverException(_client.DriverName, $"read {_path}: the object shrank while it was being read (at byte {_next} of {_end})", broken) { Path = _path };
        _body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
    }
}
