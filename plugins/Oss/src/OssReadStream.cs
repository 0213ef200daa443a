using Registry.Storage.Kit;

namespace Registry.Storage.Drivers.Oss;

/// <summary>A GetObject body that releases its HTTP response (and connection) when disposed.</summary>
internal sealed class OssReadStream(HttpResponseMessage response, Stream body) : ForwardOnlyReadStream
{
    public override long Length => response.Content.Headers.ContentLength ?? throw new NotSupportedException();

    protected override ValueTask<int> ReadCoreAsync(Memory<byte> buffer, CancellationToken cancellationToken) =>
        body.ReadAsync(buffer, cancellationToken);

    protected override int ReadCore(Span<byte> buffer) => body.Read(buffer);

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
