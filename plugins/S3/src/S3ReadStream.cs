using Amazon.S3;
using Amazon.S3.Model;
using Registry.Storage.Kit;

namespace Registry.Storage.Drivers.S3;

/// <summary>
/// The body of a GetObject response as a plain read-only stream that owns the response
/// (disposing it returns the connection). A body that breaks off mid-stream (a reset
/// connection) is picked up again with a ranged GET from the byte reached, pinned to the
/// object's ETag so that a replaced object fails the read instead of splicing two versions;
/// what cannot be resumed is reported as a driver error.
/// </summary>
internal sealed class S3ReadStream : ForwardOnlyReadStream
{
    // Resumes per reader: a connection that keeps breaking is a fault to report, not to hide.
    private const int MaxResumes = 3;

    private readonly S3Store _store;
    private readonly string _path;
    private readonly string _key;
    private readonly string? _etag;
    private readonly long _start;
    private readonly long _end;
    private GetObjectResponse _response;
    private long _next;
    private int _resumes;

    public S3ReadStream(GetObjectResponse response, S3Store store, string path, string key, long offset)
    {
        _response = response;
        _store = store;
        _path = path;
        _key = key;
        _etag = response.ETag;
        _start = offset;
        _next = offset;
        _end = offset + response.ContentLength;
    }

    public override long Length => _end - _start;

    protected override async ValueTask<int> ReadCoreAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                var read = await _response.ResponseStream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
                if (read == 0 && _next < _end)
                {
                    // The body ended before its Content-Length: as broken as a reset.
                    throw new IOException($"the response ended at byte {_next} of {_end}");
                }

                _next += read;
                return read;
            }
            catch (Exception ex) when (ex is IOException or HttpRequestException && _resumes < MaxResumes && !cancellationToken.IsCancellationRequested)
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

    // Everything, including a failed resume (whatever the SDK threw), leaves as a driver error;
    // S3Errors passes cancellation and errors that already name the driver through unchanged.
    protected override Exception? MapReadError(Exception exception) => _store.Error("Read", _path, exception);

    protected override void Release() => _response.Dispose();

    private async Task ResumeAsync(Exception broken, CancellationToken cancellationToken)
    {
        _response.Dispose();
        var request = new GetObjectRequest
        {
            BucketName = _store.Bucket,
            Key = _key,
            ByteRange = new ByteRange(_next, _end - 1),
            EtagToMatch = _etag,
        };
        try
        {
            _response = await _store.Client.GetObjectAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == System.Net.HttpStatusCode.PreconditionFailed)
        {
            throw new StorageDriverException(_store.DriverName,
                $"read {_path}: the object was replaced while it was being read (at byte {_next} of {_end}); read it again", new AggregateException(broken, ex))
            {
                Path = _path,
            };
        }
    }
}
