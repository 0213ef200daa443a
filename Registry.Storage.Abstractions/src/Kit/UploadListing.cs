using System.Runtime.CompilerServices;

namespace Registry.Storage.Kit;

/// <summary>Helpers for <see cref="IStorageDriver.ListUploadsAsync"/>.</summary>
public static class UploadListing
{
    /// <summary>
    /// The listing of a driver that cannot list its uploads: throws
    /// <see cref="UnsupportedMethodException"/> naming <paramref name="driverName"/> when enumeration starts.
    /// </summary>
    public static async IAsyncEnumerable<PendingUpload> Unsupported(string driverName, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.CompletedTask.ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        throw DriverErrors.Unsupported(driverName, "ListUploads");
#pragma warning disable CS0162 // an iterator needs a yield to be one
        yield break;
#pragma warning restore CS0162
    }

    /// <summary>
    /// From a listing of uploads in key order (S3's and OSS's ListMultipartUploads), the one upload
    /// per key that a resume continues: <paramref name="supersedes"/>(candidate, kept) says whether a
    /// later-listed upload of the same key replaces the one kept so far (the newer initiation, say).
    /// </summary>
    public static async IAsyncEnumerable<T> LatestPerKeyAsync<T>(
        IAsyncEnumerable<T> uploads,
        Func<T, string> keyOf,
        Func<T, T, bool> supersedes,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(uploads);
        ArgumentNullException.ThrowIfNull(keyOf);
        ArgumentNullException.ThrowIfNull(supersedes);
        var kept = default(T);
        var any = false;
        await foreach (var upload in uploads.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (any && keyOf(upload) == keyOf(kept!))
            {
                kept = supersedes(upload, kept!) ? upload : kept;
                continue;
            }

            if (any)
            {
                yield return kept!;
            }

            kept = upload;
            any = true;
        }

        if (any)
        {
            yield return kept!;
        }
    }
}
