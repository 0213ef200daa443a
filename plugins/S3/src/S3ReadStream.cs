using Amazon.S3;
using Amazon.S3.Model;
using Registry.Storage.Kit;

namespace Registry.Storage.Drivers.S3;

/// <summary>
/// The body of a GetObject response as a plain read-only stream that owns the response
/// (disposing it returns the connection). A body that breaks off mid-stream is picked up again
/// with a ranged GET pinned to the object's ETag (<see cref="ResumableReadStream"/>); what
/// cannot be resumed is reported as a driver error.
/// </summary>
internal sealed class S3ReadStream : ResumableReadStream
{
    private readonly S3Store _store;
    private readonly string _path;
    private readonly string _key;
    private readonly string? _etag;
    private GetObjectResponse _response;

    public S3ReadStream(GetObjectResponse response, S3Store store, string path, string key, long offset)
        : base(response.ResponseStream, offset, response.ContentLength)
    {
        _response = response;
        _store = store;
        _path = path;
        _key = key;
        _etag = response.ETag;
    }

    // Everything, including a failed resume (whatever the SDK threw), leaves as a driver error;
    // S3Errors passes cancellation and errors that already name the driver through unchanged.
    protected override Exception? MapReadError(Exception exception) => _store.Error("Read", _path, exception);

    protected override void Release() => _response.Dispose();

    protected override async ValueTask<Stream> ReopenAsync(long next, long end, Exception broken, CancellationToken cancellationToken)
    {
        _response.Dispose();
        var request = new GetObjectRequest
        {
            BucketName = _store.Bucket,
            Key = _key,
            ByteRange = new ByteRange(next, end - 1),
            EtagToMatch = _etag,
        };
        try
        {
            _response = await _store.Client.GetObjectAsync(request, cancellationToken).ConfigureAwait(false);
            return _response.ResponseStream;
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == System.Net.HttpStatusCode.PreconditionFailed)
        {
            throw Replaced(_store.DriverName, _path, next, end, broken, ex);
        }
    }
}
