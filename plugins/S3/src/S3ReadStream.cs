using Amazon.S3.Model;
using Registry.Storage.Kit;

namespace Registry.Storage.Drivers.S3;

/// <summary>
/// The body of a GetObject response as a plain read-only stream that owns the response
/// (disposing it returns the connection) and reports read failures as driver errors.
/// </summary>
internal sealed class S3ReadStream(GetObjectResponse response, S3Store store, string path) : ForwardOnlyReadStream
{
    private readonly Stream _body = response.ResponseStream;

    public override long Length => response.ContentLength;

    protected override async ValueTask<int> ReadCoreAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        try
        {
            return await _body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException)
        {
            throw store.Error("Read", path, ex);
        }
    }

    protected override int ReadCore(Span<byte> buffer)
    {
        try
        {
            return _body.Read(buffer);
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException)
        {
            throw store.Error("Read", path, ex);
        }
    }

    protected override void Release() => response.Dispose();
}
