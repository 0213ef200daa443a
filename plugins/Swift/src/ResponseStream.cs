using Registry.Storage.Kit;

namespace Registry.Storage.Drivers.Swift;

/// <summary>
/// A response body that releases its HTTP response (and connection) when disposed and reports
/// a body cut short (the proxy gone mid-read) as a driver error naming the object.
/// </summary>
internal sealed class ResponseStream(HttpResponseMessage response, Stream body, string key) : ForwardOnlyReadStream
{
    protected override async ValueTask<int> ReadCoreAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        try
        {
            return await body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException)
        {
            throw SwiftErrors.Wrap("read", key, ex);
        }
    }

    protected override int ReadCore(Span<byte> buffer)
    {
        try
        {
            return body.Read(buffer);
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException)
        {
            throw SwiftErrors.Wrap("read", key, ex);
        }
    }

    protected override void Release()
    {
        body.Dispose();
        response.Dispose();
    }
}
