using System.Buffers;
using System.Security.Cryptography;

namespace Registry.Server.Uploads;

/// <summary>Copies a stream in bounded chunks, optionally hashing it on the way; never holds more than one chunk.</summary>
internal static class StreamCopy
{
    public const int ChunkSize = 256 * 1024;

    /// <summary>Copies <paramref name="source"/> to <paramref name="destination"/>, at most <paramref name="limit"/> bytes when given.</summary>
    /// <returns>The bytes copied.</returns>
    public static async Task<long> CopyAsync(Stream source, Stream? destination, IncrementalHash? hash, long? limit, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
        try
        {
            long total = 0;
            while (limit is null || total < limit)
            {
                var want = limit is { } l ? (int)Math.Min(buffer.Length, l - total) : buffer.Length;
                var read = await source.ReadAsync(buffer.AsMemory(0, want), cancellationToken);
                if (read == 0)
                {
                    break;
                }

                hash?.AppendData(buffer, 0, read);
                if (destination is not null)
                {
                    await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }

                total += read;
            }

            return total;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
