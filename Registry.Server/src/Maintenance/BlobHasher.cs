using System.Buffers;
using Registry.Server.Layout;
using Registry.Storage;

namespace Registry.Server.Maintenance;

/// <summary>Re-hashes a stored blob by streaming it through the driver with one pooled 256 KiB buffer.</summary>
internal static class BlobHasher
{
    public const int BufferSize = 256 * 1024;

    /// <summary>The digest and length of what is stored for <paramref name="blob"/>.</summary>
    public static async Task<(Digest Actual, long Length)> HashAsync(IStorageDriver driver, Digest blob, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            using var hash = blob.CreateHash();
            var stream = await driver.ReaderAsync(RegistryPaths.BlobData(blob), 0, cancellationToken);
            await using (stream)
            {
                long length = 0;
                int read;
                while ((read = await stream.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
                    length += read;
                }

                return (Digest.FromHash(blob.Algorithm, hash), length);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
