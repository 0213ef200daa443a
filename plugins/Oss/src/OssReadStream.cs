using Registry.Storage.Kit;

namespace Registry.Storage.Drivers.Oss;

/// <summary>
/// A GetObject body that releases its HTTP response (and connection) when disposed. A body that
/// breaks off mid-stream (a reset connection) is picked up again with a ranged GET from the byte
/// reached, pinned with If-Match to the ETag the read started with, so a replaced object fails the
/// read instead of splicing two versions (<see cref="ResumableReadStream"/>); what cannot be resumed
/// fails as a transient error naming the driver and the path.
/// </summary>
internal sealed class OssReadStream : ResumableReadStream
{
    private readonly OssClient _client;
    private readonly string _key;
    private readonly string _path;
    private readonly string? _etag;
    private HttpResponseMessage _response;

    private OssReadStream(OssClient client, string key, string path, long offset, HttpResponseMessage response, Stream body)
        : base(body, offset, response.Content.Headers.ContentLength ?? throw new NotSupportedException("GetObject answered without a Content-Length"))
    {
        _client = client;
        _key = key;
        _path = path;
        _response = response;
        _etag = response.Headers.ETag?.ToString();
    }

    // Without an ETag there is nothing to pin a resumed read to.
    protected override bool CanResume => _etag is not null;

    public static async Task<OssReadStream> OpenAsync(OssClient client, string key, string path, long offset, HttpResponseMessage response, CancellationToken cancellationToken) =>
        new(client, key, path, offset, response, await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false));

    protected override Exception? MapReadError(Exception exception) =>
        exception is IOException or HttpRequestException ? OssErrors.Network(_client.DriverName, "Read", _path, exception) : null;

    protected override void Release()
    {
        Body.Dispose();
        _response.Dispose();
    }

    protected override async ValueTask ReleaseAsync()
    {
        await Body.DisposeAsync().ConfigureAwait(false);
        _response.Dispose();
    }

    protected override async ValueTask<Stream> ReopenAsync(long next, long end, Exception broken, CancellationToken cancellationToken)
    {
        await Body.DisposeAsync().ConfigureAwait(false);
        _response.Dispose();
        HttpResponseMessage? response;
        try
        {
            response = await _client.GetObjectAsync(_key, next, _path, cancellationToken, ifMatch: _etag, end: end).ConfigureAwait(false);
        }
        catch (OssObjectReplacedException replaced)
        {
            throw Replaced(_client.DriverName, _path, next, end, broken, replaced);
        }

        _response = response ?? throw new StorageDriverException(_client.DriverName, $"read {_path}: the object shrank while it was being read (at byte {next} of {end})", broken) { Path = _path };
        return await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
    }
}
