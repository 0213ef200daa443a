using Registry.Storage.Kit;

namespace Registry.Storage.Drivers.Azure;

/// <summary>
/// A blob download's content stream that reports read failures as driver errors naming the
/// path: a connection lost mid-body (the server gone) surfaces from the SDK's retrying
/// stream as a bare <see cref="IOException"/>/<see cref="AggregateException"/> otherwise.
/// </summary>
internal sealed class AzureReadStream(Stream content, AzureContext context, string path) : ForwardOnlyReadStream
{
    protected override async ValueTask<int> ReadCoreAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        try
        {
            return await content.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (AzureErrors.ShouldMap(ex))
        {
            throw context.Error("read", path, ex);
        }
    }

    protected override int ReadCore(Span<byte> buffer)
    {
        try
        {
            return content.Read(buffer);
        }
        catch (Exception ex) when (AzureErrors.ShouldMap(ex))
        {
            throw context.Error("read", path, ex);
        }
    }

    protected override void Release() => content.Dispose();

    protected override ValueTask ReleaseAsync() => content.DisposeAsync();
}
