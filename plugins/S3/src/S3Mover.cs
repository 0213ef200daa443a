using Amazon.S3.Model;

namespace Registry.Storage.Drivers.S3;

/// <summary>
/// Move = server-side copy, then delete the source (S3 has no rename). Objects up to
/// <c>multipartcopythresholdsize</c> take one CopyObject; larger ones a multipart copy of
/// <c>multipartcopychunksize</c> parts, up to <c>multipartcopymaxconcurrency</c> at once
/// (the only way past CopyObject's 5 GiB limit, and faster above ~32 MiB).
/// </summary>
internal sealed class S3Mover(S3Store store)
{
    private S3Parameters P => store.Parameters;

    public async Task MoveAsync(string sourcePath, string destinationPath, CancellationToken cancellationToken)
    {
        var sourceKey = P.KeyOf(sourcePath);
        var destinationKey = P.KeyOf(destinationPath);
        long size;
        try
        {
            // A missing source fails here, before the destination is touched.
            size = (await store.Client.GetObjectMetadataAsync(store.Bucket, sourceKey, cancellationToken).ConfigureAwait(false)).ContentLength;
        }
        catch (Exception ex)
        {
            throw store.Error("Move", sourcePath, ex);
        }

        try
        {
            if (size <= P.MultipartCopyThresholdSize)
            {
                await store.Client.CopyObjectAsync(store.NewCopy(sourceKey, destinationKey), cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await MultipartCopyAsync(sourceKey, destinationKey, size, cancellationToken).ConfigureAwait(false);
            }

            await store.Client.DeleteObjectAsync(store.Bucket, sourceKey, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            throw store.Error("Move", sourcePath, ex);
        }
    }

    private async Task MultipartCopyAsync(string sourceKey, string destinationKey, long size, CancellationToken cancellationToken)
    {
        var upload = await store.Client.InitiateMultipartUploadAsync(store.NewMultipart(destinationKey), cancellationToken).ConfigureAwait(false);
        try
        {
            var chunk = P.MultipartCopyChunkSize;
            var count = (int)((size + chunk - 1) / chunk);
            var etags = new PartETag[count];
            await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = P.MultipartCopyMaxConcurrency, CancellationToken = cancellationToken },
                async (i, ct) =>
                {
                    var first = i * chunk;
                    var response = await store.Client.CopyPartAsync(new CopyPartRequest
                    {
                        SourceBucket = store.Bucket,
                        SourceKey = sourceKey,
                        DestinationBucket = store.Bucket,
                        DestinationKey = destinationKey,
                        UploadId = upload.UploadId,
                        PartNumber = i + 1,
                        FirstByte = first,
                        LastByte = Math.Min(first + chunk, size) - 1,
                    }, ct).ConfigureAwait(false);
                    etags[i] = new PartETag(i + 1, response.ETag);
                }).ConfigureAwait(false);

            await store.Client.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
            {
                BucketName = store.Bucket,
                Key = destinationKey,
                UploadId = upload.UploadId,
                PartETags = [.. etags],
            }, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // Parts already copied would otherwise be stored (and billed) forever.
            await store.AbortQuietlyAsync(destinationKey, upload.UploadId).ConfigureAwait(false);
            throw;
        }
    }
}
