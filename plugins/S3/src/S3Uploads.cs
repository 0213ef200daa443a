using System.Runtime.CompilerServices;
using Amazon.S3.Model;
using Registry.Storage.Kit;

namespace Registry.Storage.Drivers.S3;

/// <summary>One uploaded part of a multipart upload (with its time when a listing gave one).</summary>
internal readonly record struct UploadedPart(int Number, string ETag, long Size, DateTimeOffset LastModified = default);

/// <summary>
/// An in-progress multipart upload and the parts it holds so far, with the ids of older uploads
/// of the same key (which no writer can resume: a resume takes the newest).
/// </summary>
internal sealed record InProgressUpload(string UploadId, IReadOnlyList<UploadedPart> Parts, IReadOnlyList<string> Older);

/// <summary>
/// Finds the multipart upload a closed writer left behind and lists its parts, both
/// paginated (distribution once read only the first page of parts and so lost data of
/// layers above 10 000 MB: 1 000 parts of 10 MiB); lists the uploads left below a path.
/// </summary>
internal sealed class S3Uploads(S3Store store)
{
    /// <summary>The newest in-progress upload of <paramref name="key"/> with its parts, or <see langword="null"/> when there is none.</summary>
    public async Task<InProgressUpload?> FindAsync(string path, string key, CancellationToken cancellationToken)
    {
        var uploads = new List<MultipartUpload>();

        // The prefix also matches longer keys ("data" and "data2"); only the exact key counts.
        await foreach (var upload in ListAsync("Writer (list uploads)", path, key, cancellationToken).ConfigureAwait(false))
        {
            if (upload.Key == key)
            {
                uploads.Add(upload);
            }
        }

        if (Newest(uploads) is not { } newest)
        {
            return null;
        }

        var parts = await ListPartsAsync("Writer (list parts)", path, key, newest.UploadId, cancellationToken).ConfigureAwait(false);
        return new InProgressUpload(newest.UploadId, parts, [.. uploads.Where(u => u != newest).Select(u => u.UploadId)]);
    }

    /// <summary>
    /// The uploads writers left at or below <paramref name="path"/>: per key, the newest upload (the
    /// one a resume continues) with the size of its contiguous parts and the time of its last part
    /// (its initiation while it has none). One ListMultipartUploads under the prefix, page by page,
    /// then one ListParts per upload.
    /// </summary>
    public async IAsyncEnumerable<PendingUpload> ListPendingAsync(string path, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var key = store.Parameters.KeyOf(path);

        // The prefix also matches a sibling sharing it (/a/bc for /a/b): only the path and below count.
        var below = ListAsync("ListUploads", path, key, cancellationToken).Where(u => path == StoragePath.Root || StoragePath.IsSameOrDescendant(u.Key, key));
        await foreach (var upload in UploadListing.LatestPerKeyAsync(below, u => u.Key, Supersedes, cancellationToken).ConfigureAwait(false))
        {
            if (await DescribeAsync(path, upload, cancellationToken).ConfigureAwait(false) is { } pending)
            {
                yield return pending;
            }
        }
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

    // The upload a resume continues: the latest initiated (ties: the last listed).
    private static bool Supersedes(MultipartUpload candidate, MultipartUpload kept) =>
        (candidate.Initiated ?? DateTime.MinValue) >= (kept.Initiated ?? DateTime.MinValue);

    private static MultipartUpload? Newest(List<MultipartUpload> uploads) =>
        uploads.Count == 0 ? null : uploads.Aggregate((kept, candidate) => Supersedes(candidate, kept) ? candidate : kept);

    // The pending upload of a key's newest upload, or null when the key names no storage path.
    private async Task<PendingUpload?> DescribeAsync(string listedPath, MultipartUpload newest, CancellationToken cancellationToken)
    {
        if (store.Parameters.PathOf(newest.Key) is not { } path)
        {
            return null;
        }

        var parts = await ListPartsAsync("ListUploads (list parts)", listedPath, newest.Key, newest.UploadId, cancellationToken).ConfigureAwait(false);
        var initiated = newest.Initiated is { } i ? new DateTimeOffset(i.ToUniversalTime()) : DateTimeOffset.MinValue;
        var lastPart = parts.Count == 0 ? DateTimeOffset.MinValue : parts.Max(p => p.LastModified);
        return new PendingUpload(path, parts.Sum(p => p.Size), lastPart > initiated ? lastPart : initiated);
    }

    /// <summary>
    /// Every part of the upload, in order, cut at the first gap: a writer that failed midway
    /// may have stored part 5 but not part 4, and only the contiguous start is content.
    /// </summary>
    private async Task<IReadOnlyList<UploadedPart>> ListPartsAsync(string operation, string path, string key, string uploadId, CancellationToken cancellationToken)
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
                throw store.Error(operation, path, ex);
            }

            parts.AddRange((page.Parts ?? []).Select(p => new UploadedPart(p.PartNumber ?? 0, p.ETag, p.Size ?? 0,
                p.LastModified is { } modified ? new DateTimeOffset(modified.ToUniversalTime()) : DateTimeOffset.MinValue)));
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
