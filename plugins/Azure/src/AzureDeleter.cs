using Azure;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;

namespace Registry.Storage.Drivers.Azure;

/// <summary>
/// Delete: the blob named by the path, and every blob below it as a directory, removed in
/// parallel, <c>maxconcurrency</c> requests at once (the Blob Batch package is not part of this
/// build, and Azurite does not answer batch requests). More in flight does not help against
/// Azurite, which serves deletes one at a time (docs/benchmarks.md: 8 and 32 in flight measured). Uploads in progress there
/// (staged, uncommitted blocks) are discarded too, so a deleted upload folder can neither be
/// resumed nor keep its blocks billed until the service's one-week clean-up.
/// </summary>
internal static class AzureDeleter
{

    /// <summary>
    /// Deletes the file or directory at <paramref name="path"/> and the uploads at or below it;
    /// throws <see cref="PathNotFoundException"/> when no committed blob was there (the uploads go all the same).
    /// </summary>
    public static async Task DeleteAsync(AzureContext context, string path, CancellationToken cancellationToken)
    {
        try
        {
            // Whether committed content is there, asked as Stat asks it: the Delete Blob answer
            // cannot tell, since Azurite reports a name holding only staged blocks as deleted.
            var found = await AzureContent.TryStatFileAsync(context, path, cancellationToken).ConfigureAwait(false) is not null
                || await AzureLister.DirectoryExistsAsync(context, path, cancellationToken).ConfigureAwait(false);

            await DeleteBlobAsync(context, context.Keys.BlobName(path), cancellationToken).ConfigureAwait(false);
            await Parallel.ForEachAsync(
                AzureLister.BlobNamesBelowAsync(context, path, includeUploads: true, cancellationToken),
                new ParallelOptions { MaxDegreeOfParallelism = context.Parameters.MaxConcurrency, CancellationToken = cancellationToken },
                async (name, token) => await DeleteBlobAsync(context, name, token).ConfigureAwait(false)).ConfigureAwait(false);

            if (!found)
            {
                throw DriverErrors.PathNotFound(context.DriverName, path);
            }
        }
        catch (Exception ex) when (AzureErrors.ShouldMap(ex))
        {
            throw context.Error("delete", path, ex);
        }
    }

    // A concurrent delete that got there first is not an error.
    private static async Task DeleteBlobAsync(AzureContext context, string blobName, CancellationToken cancellationToken)
    {
        try
        {
            var response = await context.Container.GetBlobClient(blobName)
                .DeleteIfExistsAsync(DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (response.Value)
            {
                return; // deleting a blob drops its uncommitted blocks with it
            }
        }
        catch (RequestFailedException ex) when (AzureErrors.IsNotFound(ex))
        {
        }

        await DiscardStagedBlocksAsync(context.Container.GetBlockBlobClient(blobName), cancellationToken).ConfigureAwait(false);
    }

    // Staged blocks of a name with no committed blob cannot be deleted as such: committing an
    // empty list (only while still nothing is committed there) drops them, then the empty blob
    // goes. It is visible for that moment, inside a directory being deleted anyway.
    private static async Task DiscardStagedBlocksAsync(BlockBlobClient blob, CancellationToken cancellationToken)
    {
        try
        {
            var blocks = await blob.GetBlockListAsync(BlockListTypes.Uncommitted, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (!blocks.Value.UncommittedBlocks.Any())
            {
                return;
            }

            await blob.CommitBlockListAsync([], new CommitBlockListOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } }, cancellationToken)
                .ConfigureAwait(false);
            await blob.DeleteIfExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (AzureErrors.IsNotFound(ex) || ex.Status == 409 || ex.Status == 412)
        {
            // nothing staged, or a writer committed meanwhile: leave its blob alone
        }
    }
}
