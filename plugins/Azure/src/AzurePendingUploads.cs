using System.Runtime.CompilerServices;
using Azure;
using Azure.Storage.Blobs.Models;

namespace Registry.Storage.Drivers.Azure;

/// <summary>
/// The uploads writers left (<see cref="IStorageDriver.ListUploadsAsync"/>): the live staged-block
/// session (<see cref="AzureWriters.LatestSession"/>, the one a resume continues) of the path's own
/// blob and of every blob below it that holds no committed content (one listing with uncommitted
/// blobs; a Get Block List only for zero-length names). Size is the session's contiguous blocks.
/// The service keeps no time per block: LastModified is when the session started (its block ids
/// carry the writer's start time), or the blob's time in the Get Block List answer when that is later.
/// </summary>
/// <remarks>
/// Below the path, a session staged over committed content that is not empty (an interrupted
/// overwrite) is not found: it would take a Get Block List per committed blob. The service drops
/// such blocks at the blob's next commit or after a week; asking for the file's own path finds it.
/// </remarks>
internal static class AzurePendingUploads
{
    public static async IAsyncEnumerable<PendingUpload> ListAsync(AzureContext context, string path, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (path != StoragePath.Root && await DescribeAsync(context, path, cancellationToken).ConfigureAwait(false) is { } own)
        {
            yield return own;
        }

        var listing = new GetBlobsOptions { Prefix = context.Keys.DirectoryPrefix(path), States = BlobStates.Uncommitted };
        var pages = context.Container.GetBlobsAsync(listing, cancellationToken).AsPages().GetAsyncEnumerator(cancellationToken);
        await using var _ = pages.ConfigureAwait(false);
        while (true)
        {
            try
            {
                if (!await pages.MoveNextAsync().ConfigureAwait(false))
                {
                    yield break;
                }
            }
            catch (Exception ex) when (AzureErrors.ShouldMap(ex))
            {
                throw context.Error("list uploads", path, ex);
            }

            foreach (var blob in pages.Current.Values)
            {
                // Staged blocks do not count in a blob's length: only names of no (or empty) content can be uploads alone.
                if (blob.Properties.ContentLength is not (null or 0) || context.Keys.PathOf(blob.Name) is not { } file)
                {
                    continue;
                }

                if (await DescribeAsync(context, file, cancellationToken).ConfigureAwait(false) is { } upload)
                {
                    yield return upload;
                }
            }
        }
    }

    // The live session staged at `path`, or null when there is none (or the blob is gone or an append blob).
    // The blob's time comes from the Get Block List answer alone, never from a listing: the listing's
    // whole-second time and the session's exact start would otherwise give one upload two times
    // depending on whether it was asked for by its own path or found below a directory.
    private static async Task<PendingUpload?> DescribeAsync(AzureContext context, string path, CancellationToken cancellationToken)
    {
        BlockList blocks;
        try
        {
            blocks = await context.BlockBlob(path).GetBlockListAsync(BlockListTypes.Uncommitted, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (AzureErrors.IsNotFound(ex) || AzureErrors.IsWrongBlobType(ex))
        {
            return null;
        }
        catch (Exception ex) when (AzureErrors.ShouldMap(ex))
        {
            throw context.Error("list uploads", path, ex);
        }

        if (AzureWriters.LatestSession(blocks.UncommittedBlocks) is not { } session)
        {
            return null;
        }

        var started = BlockIds.StartTime(session.Session);
        return new PendingUpload(path, session.Size, started > blocks.LastModified ? started : blocks.LastModified);
    }
}
