using Registry.Storage.Kit;

namespace Registry.Storage.Drivers.Oss;

/// <summary>
/// A GetObject body that releases its HTTP response (and connection) when disposed. A body
/// that breaks off (connection reset mid-response) fails as a transient error naming the
/// driver and the path, not as a bare IOException.
/// </summary>
internal sealed class OssReadStream(HttpResponseMessage response, Stream body, string driverName, string path) : ForwardOnlyReadStream
{
    public override long Length => response.Content.Headers.ContentLength ?? throw new NotSupportedException();

    protected override ValueTask<int> ReadCoreAsync(Memory<byte> buffer, CancellationToken cancellationToken) =>
        body.ReadAsync(buffer, cancellationToken);

    protected override int ReadCore(Span<byte> buffer) => body.Read(buffer);

    protected override Exception? MapReadError(Exception exception) =>
        exception is IOException or HttpRequestException ? OssErrors.Network(driverName, "Read", path, exception) : null;

    protected override void Release()
    {
        body.Dispose();
        response.Dispose();
    }

    protected override async ValueTask ReleaseAsync()
    {
        await body.DisposeAsync().ConfigureAwait(false);
        response.Dispose();
    }
}
