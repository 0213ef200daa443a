using System.Buffers;
using System.Security.Cryptography;

namespace Registry.Storage.Hosting.Migration;

/// <summary>
/// Streams one file from the source driver to the destination driver through a writer,
/// hashing on the way, and commits only what checks out: the byte count the walk reported
/// and, for content-addressed blobs, the digest in the path. Anything else is cancelled,
/// so the destination never shows a partial or corrupt file.
/// </summary>
/// <remarks>
/// A file smaller than the copy buffer (links, manifests, most layers of a small image) is
/// read whole into that buffer and stored with one atomic <c>PutContent</c>: on an object
/// store that is one request where a writer costs three (start, part, complete) — for a
/// registry's thousands of small files the requests, not the bytes, set the pace. Memory
/// stays one buffer per transfer either way.
/// </remarks>
internal sealed class FileCopier(IStorageDriver source, IStorageDriver destination, MigrationOptions options, BandwidthLimiter limiter, Action<long> onBytes)
{
    public async Task<FileResult> CopyAsync(StorageFileInfo file, CancellationToken cancellationToken)
    {
        var (size, digest) = file.Size < options.BufferSize
            ? await PutWholeAsync(file, cancellationToken).ConfigureAwait(false)
            : await StreamAsync(file, cancellationToken).ConfigureAwait(false);
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

        if (options.VerifyAfterCopy)
        {
            // The digest of what reads back settles the size too: no separate Stat.
            var readBack = await FileComparer.Sha256Async(destination, file.Path, options.BufferSize, null, cancellationToken).ConfigureAwait(false);
            if (readBack != digest)
            {
                return new FileResult(file.Path, FileOutcome.FailedRetryable, file.Size,
                    $"the destination's content hashes to sha256:{readBack} after commit, sha256:{digest} was written");
            }
        }
        else
        {
            var stored = await destination.StatAsync(file.Path, cancellationToken).ConfigureAwait(false);
            if (stored.Size != size)
            {
                return new FileResult(file.Path, FileOutcome.FailedRetryable, file.Size, $"the destination holds {stored.Size} bytes after commit, {size} were written");
            }
        }

        return new FileResult(file.Path, FileOutcome.Copied, file.Size);
    }

    // Reads a file the walk reported smaller than the buffer into the buffer and, when it
    // checks out, stores it with one PutContent (atomic by contract). A source that turns out
    // larger fills the buffer and is reported as a size mismatch, never stored.
    private async Task<(long Size, string Digest)> PutWholeAsync(StorageFileInfo file, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(options.BufferSize);
        try
        {
            var total = 0;
            var reader = await source.ReaderAsync(file.Path, 0, cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                int n;
                while (total < options.BufferSize
                       && (n = await reader.ReadAsync(buffer.AsMemory(total, options.BufferSize - total), cancellationToken).ConfigureAwait(false)) > 0)
                {
                    await limiter.WaitAsync(n, cancellationToken).ConfigureAwait(false);
                    total += n;
                    onBytes(n);
                }
            }

            var content = buffer.AsMemory(0, total);
            var digest = Convert.ToHexStringLower(SHA256.HashData(content.Span));
            if (total == file.Size && (ContentAddress.Sha256Of(file.Path) is not { } expected || expected == digest))
            {
                await destination.PutContentAsync(file.Path, content, cancellationToken).ConfigureAwait(false);
            }

            return (total, digest);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
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
