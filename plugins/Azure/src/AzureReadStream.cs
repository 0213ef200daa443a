using Registry.Storage.Kit;

namespace Registry.Storage.Drivers.Azure;

/// <summary>
/// A blob download's content stream that reports read failures as driver errors naming the
/// path: a connection lost mid-body (the server gone) surfaces from the SDK's retrying
/// stream as a bare <see cref="IOException"/>/<see cref="AggregateException"/> otherwise.
/// </summary>
internal sealed class AzureReadStream(Stream content, AzureContext context, string path) : ForwardOnlyReadStream
{
    protected override ValueTask<int> ReadCoreAsync(Memory<byte> buffer, CancellationToken cancellationToken) =>
        content.ReadAsync(buffer, cancellationToken);

    protected override int ReadCore(Span<byte> buffer) => content.Read(buffer);

    protected override Exception? MapReadError(Exception exception) =>
        AzureErrors.ShouldMap(exception) ? context.Error("read", path, exception) : null;

    protected override void Release() => content.Dispose();

    protected override ValueTask ReleaseAsync() => content.DisposeAsync();
}
