using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace Registry.Storage.Drivers.Azure;

/// <summary>
/// Move: a server-side Copy Blob (the destination keeps the source's blob type, so append
/// blobs distribution wrote move as they are), polled per <c>max_retries</c> and
/// <c>retry_delay</c> as distribution does, then the source is deleted.
/// </summary>
internal static class AzureMover
{
    /// <summary>Moves <paramref name="source"/> to <paramref name="destination"/>, replacing it.</summary>
    public static async Task MoveAsync(AzureContext context, string source, string destination, CancellationToken cancellationToken)
    {
        var target = context.Blob(destination);
        var from = context.Blob(source);
        try
        {
            if (source == destination)
            {
                // Copying a blob onto itself would only touch its timestamps; the move is a no-op.
                _ = await from.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                return;
            }

            // Same account: the copy request's own credentials authorise reading the source.
            CopyFromUriOperation copy;
            try
            {
                copy = await target.StartCopyFromUriAsync(from.Uri, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException ex) when (AzureErrors.IsWrongBlobType(ex))
            {
                // The destination is of another blob type (block vs append): replace it.
                await target.DeleteIfExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                copy = await target.StartCopyFromUriAsync(from.Uri, cancellationToken: cancellationToken).ConfigureAwait(false);
            }

            await WaitForCopyAsync(context, target, copy.Id, destination, cancellationToken).ConfigureAwait(false);
            await from.DeleteIfExistsAsync(DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (AzureErrors.IsNotFound(ex))
        {
            throw DriverErrors.PathNotFound(context.DriverName, source, ex);
        }
        catch (Exception ex) when (AzureErrors.ShouldMap(ex))
        {
            throw context.Error("move", source, ex);
        }
    }

    // Distribution's loop: poll n waits n × retry_delay; after max_retries polls, abort the copy.
    private static async Task WaitForCopyAsync(AzureContext context, BlobClient target, string copyId, string destination, CancellationToken cancellationToken)
    {
        var parameters = context.Parameters;
        for (var attempt = 1; ; attempt++)
        {
            var properties = (await target.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
            if (properties.CopyId != copyId)
            {
                return; // a later write replaced the destination: our copy is no longer the one to wait for
            }

            switch (properties.CopyStatus)
            {
                case CopyStatus.Success:
                    return;
                case CopyStatus.Failed or CopyStatus.Aborted:
                    throw new StorageDriverException(context.DriverName,
                        $"copy to {destination} ended {properties.CopyStatus}: {properties.CopyStatusDescription}")
                    { Path = destination };
            }

            if (parameters.MaxRetries < 0 || attempt > parameters.MaxRetries)
            {
                await target.AbortCopyFromUriAsync(copyId, cancellationToken: cancellationToken).ConfigureAwait(false);
                throw new StorageDriverException(context.DriverName,
                    $"copy to {destination} still pending after {Math.Max(parameters.MaxRetries, 0)} polls (max_retries); aborted")
                { Path = destination, IsTransient = true };
            }

            await Task.Delay(parameters.RetryDelay * attempt, context.Time, cancellationToken).ConfigureAwait(false);
        }
    }
}
