using System.Runtime.CompilerServices;
using Registry.Storage.Kit;

namespace Registry.Storage.Drivers.Oss;

/// <summary>
/// The uploads writers left at or below a path (<see cref="IStorageDriver.ListUploadsAsync"/>):
/// one ListMultipartUploads under the path's prefix, page by page, and per key the latest upload
/// (the one a resume continues) — its contiguous parts plus the tail its last Close stored
/// beside the root (<see cref="OssWriter"/>): one ListParts and one HeadObject per upload.
/// </summary>
internal static class OssPendingUploads
{
    public static async IAsyncEnumerable<PendingUpload> ListAsync(OssClient client, OssKeyLayout layout, string path, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var key = path == StoragePath.Root ? layout.RootPrefix : layout.KeyOf(path);

        // The prefix also matches a sibling sharing it (/a/bc for /a/b): only the path and below count.
        var below = client.ListAllMultipartUploadsAsync(key, path, cancellationToken)
            .Where(u => (path == StoragePath.Root || StoragePath.IsSameOrDescendant(u.Key, key)) && !layout.IsHidden(u.Key));
        await foreach (var upload in UploadListing.LatestPerKeyAsync(below, u => u.Key, OssWriter.Supersedes, cancellationToken).ConfigureAwait(false))
        {
            yield return await DescribeAsync(client, layout, path, upload, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<PendingUpload> DescribeAsync(OssClient client, OssKeyLayout layout, string listedPath, OssUploadEntry upload, CancellationToken cancellationToken)
    {
        var parts = await client.ListAllPartsAsync(upload.Key, upload.UploadId, listedPath, cancellationToken).ConfigureAwait(false);
        var contiguous = parts.OrderBy(p => p.Number).TakeWhile((p, i) => p.Number == i + 1).ToList();
        var tail = await client.HeadObjectAsync(layout.TailKey(upload.UploadId, contiguous.Count), listedPath, cancellationToken).ConfigureAwait(false);
        var lastModified = contiguous.Select(p => p.LastModified).Append(upload.Initiated).Append(tail?.LastModified ?? DateTimeOffset.MinValue).Max();
        return new PendingUpload(layout.PathOf(upload.Key), contiguous.Sum(p => p.Size) + (tail?.Size ?? 0), lastModified);
    }
}
