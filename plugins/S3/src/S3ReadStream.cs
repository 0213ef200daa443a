using Amazon.S3.Model;

namespace Registry.Storage.Drivers.S3;

/// <summary>
/// The body of a GetObject response as a plain read-only stream that owns the response
/// (disposing it returns the connection) and reports read failures as driver errors.
/// </summary>
internal sealed class S3ReadStream(GetObjectResponse response, S3Store store, string path) : Stream
{
    private readonly Stream _body = response.ResponseStream;
    private long _position;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => response.ContentLength;

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException("An S3 read stream does not seek; open a reader at the offset instead.");
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            var read = await _body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            _position += read;
            return read;
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException)
        {
            throw store.Error("Read", path, ex);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        try
        {
            var read = _body.Read(buffer);
            _position += read;
            return read;
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException)
        {
            throw store.Error("Read", path, ex);
        }
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException("An S3 read stream does not seek.");

    public override void SetLength(long value) => throw new NotSupportedException("An S3 read stream is read-only.");

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("An S3 read stream is read-only.");

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            response.Dispose();
        }

        base.Dispose(disposing);
    }
}
