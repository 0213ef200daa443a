using System.Buffers;
using System.Security.Cryptography;

namespace Registry.Storage.Hosting.Migration;

/// <summary>Decides whether a destination file already equals its source, reading as little as it can.</summary>
internal static class FileComparer
{
    /// <summary>
    /// <see langword="null"/> when the destination holds the same content; otherwise why not
    /// (<see cref="FileOutcome.Missing"/> or <see cref="FileOutcome.Differing"/> with a reason).
    /// </summary>
    /// <remarks>
    /// Equal sizes settle it for content-addressed blobs: the path names the digest, and every
    /// copy was verified against it before commit (a driver makes content visible only on
    /// commit, so no half-written blob can sit there). Any other file of equal size — links,
    /// tags, upload state, all small — is compared by SHA-256 of both sides.
    /// </remarks>
    public static async Task<(FileOutcome Outcome, string Detail)?> CompareAsync(IStorageDriver source, IStorageDriver destination, StorageFileInfo file, int bufferSize, CancellationToken cancellationToken)
    {
        StorageFileInfo existing;
        try
        {
            existing = await destination.StatAsync(file.Path, cancellationToken).ConfigureAwait(false);
        }
        catch (PathNotFoundException)
        {
            return (FileOutcome.Missing, "not at the destination");
        }

        if (existing.IsDirectory)
        {
            return (FileOutcome.Differing, "a directory at the destination");
        }

        if (existing.Size != file.Size)
        {
            return (FileOutcome.Differing, $"size {file.Size} at the source, {existing.Size} at the destination");
        }

        if (ContentAddress.Sha256Of(file.Path) is not null)
        {
            return null;
        }

        var sourceHash = await Sha256Async(source, file.Path, bufferSize, null, cancellationToken).ConfigureAwait(false);
        var destinationHash = await Sha256Async(destination, file.Path, bufferSize, null, cancellationToken).ConfigureAwait(false);
        return sourceHash == destinationHash ? null : (FileOutcome.Differing, $"content differs (sha256 {sourceHash[..12]}… at the source, {destinationHash[..12]}… at the destination)");
    }

    /// <summary>The lowercase hex SHA-256 of the content at <paramref name="path"/>, streamed.</summary>
    public static async Task<string> Sha256Async(IStorageDriver driver, string path, int bufferSize, BandwidthLimiter? limiter, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(bufferSize);
        try
        {
            var reader = await driver.ReaderAsync(path, 0, cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                int n;
                while ((n = await reader.ReadAsync(buffer.AsMemory(0, bufferSize), cancellationToken).ConfigureAwait(false)) > 0)
                {
                    if (limiter is not null)
                    {
                        await limiter.WaitAsync(n, cancellationToken).ConfigureAwait(false);
                    }

                    hash.AppendData(buffer, 0, n);
                }
            }

            return Convert.ToHexStringLower(hash.GetHashAndReset());
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
