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

    protected override ValueTask<int> ReadCoreAsync(Memory<byte> buffer, CancellationToken cancellationToken) =>
        _body.ReadAsync(buffer, cancellationToken);

    protected override int ReadCore(Span<byte> buffer) => _body.Read(buffer);

    protected override Exception? MapReadError(Exception exception) =>
        exception is IOException or HttpRequestException ? store.Error("Read", path, exception) : null;

    protected override void Release() => response.Dispose();
}
