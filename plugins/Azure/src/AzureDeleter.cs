using Azure;
using Azure.Storage.Blobs.Models;

namespace Registry.Storage.Drivers.Azure;

/// <summary>
/// Delete: the blob named by the path, and every blob below it as a directory, removed in
/// parallel (Azurite has no Blob Batch, and the batch package is not part of this build).
/// </summary>
internal static class AzureDeleter
{
    /// <summary>Deletes the file or directory at <paramref name="path"/>; throws <see cref="PathNotFoundException"/> when neither exists.</summary>
    public static async Task DeleteAsync(AzureContext context, string path, CancellationToken cancellationToken)
    {
        try
        {
            var deleted = await DeleteBlobAsync(context, context.Keys.BlobName(path), cancellationToken).ConfigureAwait(false) ? 1 : 0;
            await Parallel.ForEachAsync(
                AzureLister.BlobNamesBelowAsync(context, path, cancellationToken),
                new ParallelOptions { MaxDegreeOfParallelism = context.Parameters.MaxConcurrency, CancellationToken = cancellationToken },
                async (name, token) =>
                {
                    if (await DeleteBlobAsync(context, name, token).ConfigureAwait(false))
                    {
                        Interlocked.Increment(ref deleted);
                    }
                }).ConfigureAwait(false);

            if (deleted == 0)
            {
                throw DriverErrors.PathNotFound(context.DriverName, path);
            }
        }
        catch (Exception ex) when (AzureErrors.ShouldMap(ex))
        {
            throw context.Error("delete", path, ex);
        }
    }

    // True when a blob was there; a concurrent delete that got there first is not an error.
    private static async Task<bool> DeleteBlobAsync(AzureContext context, string blobName, CancellationToken cancellationToken)
    {
        try
        {
            var response = await context.Container.GetBlobClient(blobName)
                .DeleteIfExistsAsync(DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: cancellationToken).ConfigureAwait(false);
            return response.Value;
        }
        catch (RequestFailedException ex) when (AzureErrors.IsNotFound(ex))
        {
            return false;
        }
    }
}
