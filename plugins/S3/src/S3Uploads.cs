using System.Runtime.CompilerServices;
using Amazon.S3.Model;

namespace Registry.Storage.Drivers.S3;

/// <summary>One uploaded part of a multipart upload.</summary>
internal readonly record struct UploadedPart(int Number, string ETag, long Size);

/// <summary>An in-progress multipart upload and the parts it holds so far.</summary>
internal sealed record InProgressUpload(string UploadId, IReadOnlyList<UploadedPart> Parts);

/// <summary>
/// Finds the multipart upload a closed writer left behind and lists its parts, both
/// paginated: distribution once read only the first page of parts and so lost data of
/// layers above 10 000 MB (1 000 parts of 10 MiB).
/// </summary>
internal sealed class S3Uploads(S3Store store)
{
    /// <summary>The newest in-progress upload of <paramref name="key"/> with its parts, or <see langword="null"/> when there is none.</summary>
    public async Task<InProgressUpload?> FindAsync(string path, string key, CancellationToken cancellationToken)
    {
        var uploadId = await FindNewestUploadIdAsync(path, key, cancellationToken).ConfigureAwait(false);
        return uploadId is null ? null : new InProgressUpload(uploadId, await ListPartsAsync(path, key, uploadId, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>
    /// Every in-progress upload whose key starts with <paramref name="prefix"/>, page by page
    /// (the prefix also matches longer keys: callers pick the ones they mean).
    /// </summary>
    public async IAsyncEnumerable<MultipartUpload> ListAsync(string operation, string path, string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var request = new ListMultipartUploadsRequest
        {
            BucketName = store.Bucket,
            Prefix = prefix,
            MaxUploads = store.Parameters.ListPageSize,
        };
        while (true)
        {
            ListMultipartUploadsResponse page;
            try
            {
                page = await store.Client.ListMultipartUploadsAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                throw store.Error(operation, path, ex);
            }

            foreach (var upload in page.MultipartUploads ?? [])
            {
                yield return upload;
            }

            if (page.IsTruncated != true)
            {
                yield break;
            }

            request.KeyMarker = page.NextKeyMarker;
            request.UploadIdMarker = page.NextUploadIdMarker;
        }
    }

    private async Task<string?> FindNewestUploadIdAsync(string path, string key, CancellationToken cancellationToken)
    {
        string? newest = null;
        var newestInitiated = DateTime.MinValue;

        // The prefix also matches longer keys ("data" and "data2"); only the exact key counts.
        await foreach (var upload in ListAsync("Writer (list uploads)", path, key, cancellationToken).ConfigureAwait(false))
        {
            if (upload.Key == key && (newest is null || (upload.Initiated ?? DateTime.MinValue) >= newestInitiated))
            {
                newest = upload.UploadId;
                newestInitiated = upload.Initiated ?? DateTime.MinValue;
            }
        }

        return newest;
    }

    /// <summary>
    /// Every part of the upload, in order, cut at the first gap: a writer that failed midway
    /// may have stored part 5 but not part 4, and only the contiguous start is content.
    /// </summary>
    private async Task<IReadOnlyList<UploadedPart>> ListPartsAsync(string path, string key, string uploadId, CancellationToken cancellationToken)
    {
        var request = new ListPartsRequest
        {
            BucketName = store.Bucket,
            Key = key,
            UploadId = uploadId,
            MaxParts = store.Parameters.ListPageSize,
        };
        var parts = new List<UploadedPart>();
        while (true)
        {
            ListPartsResponse page;
            try
            {
                page = await store.Client.ListPartsAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                throw store.Error("Writer (list parts)", path, ex);
            }

            parts.AddRange((page.Parts ?? []).Select(p => new UploadedPart(p.PartNumber ?? 0, p.ETag, p.Size ?? 0)));
            if (page.IsTruncated != true)
            {
                break;
            }

            request.PartNumberMarker = page.NextPartNumberMarker?.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        parts.Sort((a, b) => a.Number.CompareTo(b.Number));
        var contiguous = 0;
        while (contiguous < parts.Count && parts[contiguous].Number == contiguous + 1)
        {
            contiguous++;
        }

        return parts.GetRange(0, contiguous);
    }
}
