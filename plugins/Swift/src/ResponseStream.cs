using Registry.Storage.Kit;

namespace Registry.Storage.Drivers.Swift;

/// <summary>
/// A response body that releases its HTTP response (and connection) when disposed and reports
/// a body cut short (the proxy gone mid-read) as a driver error naming the object.
/// </summary>
internal sealed class ResponseStream(HttpResponseMessage response, Stream body, string key) : ForwardOnlyReadStream
{
    protected override ValueTask<int> ReadCoreAsync(Memory<byte> buffer, CancellationToken cancellationToken) =>
        body.ReadAsync(buffer, cancellationToken);

    protected override int ReadCore(Span<byte> buffer) => body.Read(buffer);

    protected override Exception? MapReadError(Exception exception) =>
        exception is IOException or HttpRequestException ? SwiftErrors.Wrap("read", key, exception) : null;

    protected override void Release()
    {
        body.Dispose();
        response.Dispose();
    }
}
