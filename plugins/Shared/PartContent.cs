using System.Buffers;
using System.Net;

namespace Registry.Storage.Drivers.Shared;

/// <summary>
/// The body of a request that uploads a part (segment, block, chunk) from a buffer the writer
/// reuses or lets go. Unlike <see cref="ReadOnlyMemoryContent"/>, it never hands the buffer itself
/// to the socket: it goes out through a small slice buffer of its own, because a pooled
/// connection's socket keeps a reference to the memory of its last send until its next one. With
/// <see cref="ReadOnlyMemoryContent"/>, every idle connection kept its last part alive — a 20 MiB
/// swift segment per connection, for as long as the connection stayed in the pool.
/// </summary>
/// <remarks>
/// Compiled into each HTTP driver that sends parts (swift, oss) rather than added to the contract's
/// kit: that would raise the contract to 1.3, and every driver built against it would need a newer
/// host, for a helper the contract itself does not use.
/// </remarks>
internal sealed class PartContent : HttpContent
{
    /// <summary>Bytes copied and sent per write: large enough for few system calls, small enough not to matter when kept.</summary>
    public const int SliceSize = 256 << 10;

    private readonly ReadOnlyMemory<byte> _data;

    /// <summary>Creates the body; <paramref name="data"/> must stay unchanged until the request completes.</summary>
    public PartContent(ReadOnlyMemory<byte> data) => _data = data;

    /// <inheritdoc />
    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    /// <inheritdoc />
    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        var slice = ArrayPool<byte>.Shared.Rent(Math.Min(SliceSize, Math.Max(_data.Length, 1)));
        try
        {
            for (var offset = 0; offset < _data.Length;)
            {
                var length = Math.Min(slice.Length, _data.Length - offset);
                _data.Slice(offset, length).CopyTo(slice);
                await stream.WriteAsync(slice.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
                offset += length;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(slice);
        }
    }

    /// <inheritdoc />
    protected override bool TryComputeLength(out long length)
    {
        length = _data.Length;
        return true;
    }
}
