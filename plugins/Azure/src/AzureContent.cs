using Azure;
using Azure.Storage;
using Azure.Storage.Blobs.Models;

namespace Registry.Storage.Drivers.Azure;

/// <summary>Whole-blob and ranged reads, and PutContent.</summary>
internal static class AzureContent
{
    /// <summary>The whole content of the blob at <paramref name="path"/>.</summary>
    public static async Task<byte[]> GetAsync(AzureContext context, string path, CancellationToken cancellationToken)
    {
        try
        {
            var result = await context.Blob(path).DownloadContentAsync(cancellationToken).ConfigureAwait(false);
            return result.Value.Content.ToArray();
        }
        catch (Exception ex) when (AzureErrors.ShouldMap(ex))
        {
            throw context.Error("get content", path, ex);
        }
    }

    /// <summary>
    /// Replaces the content at <paramref name="path"/> with a block blob, whatever blob type was
    /// there. Up to the single-request limit this is one Put Blob (atomic); larger content is
    /// staged in blocks and committed at once, which is atomic too.
    /// </summary>
    public static async Task PutAsync(AzureContext context, string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        var blob = context.Blob(path);
        var options = new BlobUploadOptions
        {
            TransferOptions = new StorageTransferOptions
            {
                MaximumConcurrency = context.Parameters.MaxConcurrency,
                MaximumTransferSize = context.Parameters.ChunkSize,
                InitialTransferSize = 256L << 20,
            },
        };
        try
        {
            try
            {
                await blob.UploadAsync(BinaryData.FromBytes(content), options, cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException ex) when (AzureErrors.IsWrongBlobType(ex))
            {
                // An append blob distribution's driver wrote refuses Put Blob: delete it first, as
                // distribution does (a reader briefly sees nothing, never a mix).
                await blob.DeleteIfExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                await blob.UploadAsync(BinaryData.FromBytes(content), options, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (AzureErrors.ShouldMap(ex))
        {
            throw context.Error("put content", path, ex);
        }
    }

    /// <summary>A stream of the blob from <paramref name="offset"/>; empty at or past the end.</summary>
    public static async Task<Stream> ReadAsync(AzureContext context, string path, long offset, CancellationToken cancellationToken)
    {
        if (offset < 0)
        {
            throw DriverErrors.InvalidOffset(context.DriverName, path, offset);
        }

        var blob = context.Blob(path);
        try
        {
            var options = new BlobDownloadOptions { Range = offset == 0 ? default : new HttpRange(offset) };
            var result = await blob.DownloadStreamingAsync(options, cancellationToken).ConfigureAwait(false);
            return new AzureReadStream(result.Value.Content, context, path);
        }
        catch (RequestFailedException ex) when (ex.Status == 416)
        {
            // A range starting at or past the end: distribution gives an empty stream when the blob exists.
            await StatFileAsync(context, path, cancellationToken).ConfigureAwait(false);
            return Stream.Null;
        }
        catch (Exception ex) when (AzureErrors.ShouldMap(ex))
        {
            throw context.Error("read", path, ex);
        }
    }

    /// <summary>The file at <paramref name="path"/>, or <see langword="null"/> when no blob has that name.</summary>
    public static async Task<StorageFileInfo?> TryStatFileAsync(AzureContext context, string path, CancellationToken cancellationToken)
    {
        try
        {
            var properties = await context.Blob(path).GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            return StorageFileInfo.File(path, properties.Value.ContentLength, properties.Value.LastModified);
        }
        catch (RequestFailedException ex) when (AzureErrors.IsNotFound(ex))
        {
            return null;
        }
        catch (Exception ex) when (AzureErrors.ShouldMap(ex))
        {
            throw context.Error("stat", path, ex);
        }
    }

    private static async Task StatFileAsync(AzureContext context, string path, CancellationToken cancellationToken)
    {
        if (await TryStatFileAsync(context, path, cancellationToken).ConfigureAwait(false) is null)
        {
            throw DriverErrors.PathNotFound(context.DriverName, path);
        }
    }
}
