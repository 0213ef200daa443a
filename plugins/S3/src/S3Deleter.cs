using Amazon.S3;
using Amazon.S3.Model;

namespace Registry.Storage.Drivers.S3;

/// <summary>
/// Deletes a file or a whole directory: the exact key plus everything below <c>key/</c>
/// (never <c>key2</c> or <c>key-x</c>, which merely share the prefix), listed page by page
/// and removed with DeleteObjects in batches of up to 1 000 keys. Keys that fail are
/// collected over all batches and reported together. Multipart uploads in progress at or
/// below the path are aborted too — also when nothing committed was there, which is still
/// PathNotFound — so purging an upload's folder frees its parts and nothing can resume it.
/// </summary>
internal sealed class S3Deleter(S3Store store)
{
    /// <summary>DeleteObjects' limit per request.</summary>
    public const int BatchSize = 1000;

    private S3Parameters P => store.Parameters;

    public async Task DeleteAsync(string path, CancellationToken cancellationToken)
    {
        var key = P.KeyOf(path);
        var failures = new List<string>();
        var deleted = 0;
        var batch = new List<KeyVersion>(BatchSize);

        async Task FlushAsync()
        {
            if (batch.Count == 0)
            {
                return;
            }

            var response = await store.Client.DeleteObjectsAsync(new DeleteObjectsRequest
            {
                BucketName = store.Bucket,
                Objects = [.. batch],
                Quiet = true,
            }, cancellationToken).ConfigureAwait(false);
            foreach (var error in response.DeleteErrors ?? [])
            {
                failures.Add($"{P.PathOf(error.Key) ?? error.Key}: {error.Code}{(string.IsNullOrEmpty(error.Message) ? "" : " " + error.Message)}");
            }

            deleted += batch.Count;
            batch.Clear();
        }

        try
        {
            // The file itself, if the path is one: the smallest key with this prefix is the key.
            var exact = await store.Client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = store.Bucket, Prefix = key, MaxKeys = 1 }, cancellationToken)
                .ConfigureAwait(false);
            if (exact.S3Objects is [{ } first, ..] && first.Key == key)
            {
                batch.Add(new KeyVersion { Key = key });
            }

            // Everything below the path, if it is a directory.
            var request = new ListObjectsV2Request { BucketName = store.Bucket, Prefix = key + "/", MaxKeys = P.ListObjectsPageSize };
            while (true)
            {
                var page = await store.Client.ListObjectsV2Async(request, cancellationToken).ConfigureAwait(false);
                foreach (var o in page.S3Objects ?? [])
                {
                    batch.Add(new KeyVersion { Key = o.Key });
                    if (batch.Count == BatchSize)
                    {
                        await FlushAsync().ConfigureAwait(false);
                    }
                }

                if (page.IsTruncated != true)
                {
                    break;
                }

                request.ContinuationToken = page.NextContinuationToken;
            }

            await FlushAsync().ConfigureAwait(false);
            await AbortUploadsAsync(path, key, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            throw store.Error("Delete", path, ex);
        }

        if (deleted == 0)
        {
            throw DriverErrors.PathNotFound(store.DriverName, path);
        }

        if (failures.Count > 0)
        {
            throw new StorageDriverException(store.DriverName,
                $"Delete {path} failed for {failures.Count} of {deleted} objects: {string.Join("; ", failures.Take(20))}{(failures.Count > 20 ? "; …" : "")}")
            {
                Path = path,
            };
        }
    }

    // One listing per delete (uploads are few); an upload aborted meanwhile by someone else is fine.
    private async Task AbortUploadsAsync(string path, string key, CancellationToken cancellationToken)
    {
        await foreach (var upload in new S3Uploads(store).ListAsync("Delete (list uploads)", path, key, cancellationToken).ConfigureAwait(false))
        {
            if (upload.Key != key && !upload.Key.StartsWith(key + "/", StringComparison.Ordinal))
            {
                continue; // a sibling sharing the prefix (/a/bc for /a/b)
            }

            try
            {
                await store.Client.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = store.Bucket, Key = upload.Key, UploadId = upload.UploadId }, cancellationToken)
                    .ConfigureAwait(false);
            }
            catch (AmazonS3Exception ex) when (ex.ErrorCode == "NoSuchUpload")
            {
                // aborted or completed meanwhile: nothing left to remove
            }
        }
    }
}
