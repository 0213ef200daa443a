using Azure;
using Azure.Storage.Blobs.Models;

namespace Registry.Storage.Drivers.Azure;

/// <summary>
/// Opens writers: a new staged-block session, or — with append — the session a closed
/// writer left in the uncommitted block list, an append blob distribution's driver left, or
/// a fresh session over committed zero-length content.
/// </summary>
internal static class AzureWriters
{
    /// <summary>Opens the writer for <paramref name="path"/>.</summary>
    public static async Task<FileWriter> OpenAsync(AzureContext context, string path, bool append, CancellationToken cancellationToken)
    {
        if (!append)
        {
            return new AzureBlockWriter(context, path, resumed: null);
        }

        try
        {
            BlockList blocks = await context.BlockBlob(path).GetBlockListAsync(BlockListTypes.All, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (LatestSession(blocks.UncommittedBlocks) is { } session)
            {
                return new AzureBlockWriter(context, path, session);
            }

            if (blocks.BlobContentLength > 0)
            {
                throw new StorageDriverException(context.DriverName,
                    $"cannot append to {path}: it holds {blocks.BlobContentLength} committed bytes and no upload to resume")
                { Path = path };
            }

            if ((await context.Blob(path).ExistsAsync(cancellationToken).ConfigureAwait(false)).Value)
            {
                return new AzureBlockWriter(context, path, resumed: null); // committed zero-length content: the commit replaces it
            }

            throw DriverErrors.PathNotFound(context.DriverName, path);
        }
        catch (RequestFailedException ex) when (AzureErrors.IsWrongBlobType(ex))
        {
            return await OpenAppendBlobAsync(context, path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (AzureErrors.ShouldMap(ex))
        {
            throw context.Error("writer", path, ex);
        }
    }

    /// <summary>The newest session among <paramref name="uncommitted"/> with its contiguous blocks, or null when there is none or it was cancelled.</summary>
    internal static StagedSession? LatestSession(IEnumerable<BlobBlock> uncommitted)
    {
        string? latest = null;
        var sizes = new Dictionary<int, long>();
        var cancelled = false;
        foreach (var block in uncommitted)
        {
            if (!BlockIds.TryParse(block.Name, out var session, out var index))
            {
                continue; // staged by some other tool: not ours to resume
            }

            var order = latest is null ? 1 : string.CompareOrdinal(session, latest);
            if (order > 0)
            {
                latest = session;
                sizes.Clear();
                cancelled = false;
            }

            if (order >= 0)
            {
                switch (index)
                {
                    case BlockIds.CancelIndex:
                        cancelled = true;
                        break;
                    case BlockIds.OpenIndex:
                        break; // the session exists; it may hold no data at all
                    default:
                        sizes[index] = block.SizeLong;
                        break;
                }
            }
        }

        if (latest is null || cancelled)
        {
            return null;
        }

        // Only the contiguous run from block 0 counts; a later block after a gap is restaged.
        var count = 0;
        long size = 0;
        while (sizes.TryGetValue(count, out var blockSize))
        {
            size += blockSize;
            count++;
        }

        return new StagedSession(latest, count, size);
    }

    private static async Task<FileWriter> OpenAppendBlobAsync(AzureContext context, string path, CancellationToken cancellationToken)
    {
        try
        {
            var properties = await context.AppendBlob(path).GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            if (properties.Value.BlobType != BlobType.Append)
            {
                throw new StorageDriverException(context.DriverName, $"cannot append to {path}: it is a {properties.Value.BlobType} blob") { Path = path };
            }

            return new AzureAppendBlobWriter(context, path, properties.Value.ContentLength);
        }
        catch (Exception ex) when (AzureErrors.ShouldMap(ex))
        {
            throw context.Error("writer", path, ex);
        }
    }
}
