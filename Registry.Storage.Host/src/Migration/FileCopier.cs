using System.Buffers;
using System.Security.Cryptography;

namespace Registry.Storage.Host.Migration;

/// <summary>
/// Streams one file from the source driver to the destination driver through a writer,
/// hashing on the way, and commits only what checks out: the byte count the walk reported
/// and, for content-addressed blobs, the digest in the path. Anything else is cancelled,
/// so the destination never shows a partial or corrupt file.
/// </summary>
internal sealed class FileCopier(IStorageDriver source, IStorageDriver destination, MigrationOptions options, BandwidthLimiter limiter, Action<long> onBytes)
{
    public async Task<FileResult> CopyAsync(StorageFileInfo file, CancellationToken cancellationToken)
    {
        var (size, digest) = await StreamAsync(file, cancellationToken).ConfigureAwait(false);
        if (size != file.Size)
        {
            return new FileResult(file.Path, FileOutcome.FailedRetryable, file.Size,
                $"read {size} bytes but the source reported {file.Size}: the source changed or the read was cut short (nothing was committed)");
        }

        if (ContentAddress.Sha256Of(file.Path) is { } expected && expected != digest)
        {
            return new FileResult(file.Path, FileOutcome.FailedFatal, file.Size,
                $"the source blob is corrupt: its content hashes to sha256:{digest}, its path names sha256:{expected} (nothing was committed)");
        }

        var stored = await destination.StatAsync(file.Path, cancellationToken).ConfigureAwait(false);
        if (stored.Size != size)
        {
            return new FileResult(file.Path, FileOutcome.FailedRetryable, file.Size, $"the destination holds {stored.Size} bytes after commit, {size} were written");
        }

        if (options.VerifyAfterCopy)
        {
            var readBack = await FileComparer.Sha256Async(destination, file.Path, options.BufferSize, null, cancellationToken).ConfigureAwait(false);
            if (readBack != digest)
            {
                return new FileResult(file.Path, FileOutcome.FailedRetryable, file.Size,
                    $"the destination's content hashes to sha256:{readBack} after commit, sha256:{digest} was written");
            }
        }

        return new FileResult(file.Path, FileOutcome.Copied, file.Size);
    }

    private async Task<(long Size, string Digest)> StreamAsync(StorageFileInfo file, CancellationToken cancellationToken)
    {
        var expected = ContentAddress.Sha256Of(file.Path);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(options.BufferSize);
        try
        {
            var reader = await source.ReaderAsync(file.Path, 0, cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                var writer = await destination.WriterAsync(file.Path, append: false, cancellationToken).ConfigureAwait(false);
                await using (writer.ConfigureAwait(false))
                {
                    var committed = false;
                    try
                    {
                        long total = 0;
                        int n;
                        while ((n = await reader.ReadAsync(buffer.AsMemory(0, options.BufferSize), cancellationToken).ConfigureAwait(false)) > 0)
                        {
                            await limiter.WaitAsync(n, cancellationToken).ConfigureAwait(false);
                            hash.AppendData(buffer, 0, n);
                            await writer.WriteAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
                            total += n;
                            onBytes(n);
                        }

                        var digest = Convert.ToHexStringLower(hash.GetHashAndReset());
                        if (total == file.Size && (expected is null || expected == digest))
                        {
                            await writer.CommitAsync(cancellationToken).ConfigureAwait(false);
                            committed = true;
                        }

                        return (total, digest);
                    }
                    finally
                    {
                        if (!committed)
                        {
                            // Interrupted, failed or unverifiable: leave nothing behind, not even resumable upload state.
                            await CancelQuietlyAsync(writer).ConfigureAwait(false);
                        }
                    }
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async Task CancelQuietlyAsync(FileWriter writer)
    {
        try
        {
            await writer.CancelAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (StorageDriverException)
        {
            // Best effort: the original failure is what the caller needs to see.
        }
        catch (IOException)
        {
        }
    }
}
