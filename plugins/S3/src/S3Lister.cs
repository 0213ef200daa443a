using System.Runtime.CompilerServices;
using Amazon.S3.Model;
using Registry.Storage.Kit;

namespace Registry.Storage.Drivers.S3;

/// <summary>
/// Everything built on ListObjectsV2: List (one level, with a delimiter), Walk (one flat,
/// paginated listing fed into <see cref="FlatWalk"/>, never a Stat per entry) and the
/// directory half of Stat.
/// </summary>
internal sealed class S3Lister(S3Store store)
{
    private S3Parameters P => store.Parameters;

    /// <summary>The direct children of <paramref name="path"/>; throws <see cref="PathNotFoundException"/> for a missing directory other than <c>/</c>.</summary>
    public async IAsyncEnumerable<string> ListAsync(string path, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var request = new ListObjectsV2Request
        {
            BucketName = store.Bucket,
            Prefix = P.DirectoryPrefix(path),
            Delimiter = "/",
            MaxKeys = P.ListObjectsPageSize,
        };
        var any = false;
        do
        {
            var page = await ListPageAsync("List", path, request, cancellationToken).ConfigureAwait(false);
            foreach (var o in page.S3Objects ?? [])
            {
                if (P.PathOf(o.Key) is { } child)
                {
                    any = true;
                    yield return child;
                }
            }

            foreach (var prefix in page.CommonPrefixes ?? [])
            {
                if (P.PathOf(prefix.TrimEnd('/')) is { } child)
                {
                    any = true;
                    yield return child;
                }
            }

            request.ContinuationToken = page.NextContinuationToken;
            if (page.IsTruncated != true)
            {
                break;
            }
        }
        while (true);

        if (!any && path != StoragePath.Root)
        {
            throw DriverErrors.PathNotFound(store.DriverName, path);
        }
    }

    /// <summary>Walks everything below <paramref name="path"/> from one flat listing.</summary>
    public async Task WalkAsync(string path, WalkVisitor visitor, WalkOptions? options, CancellationToken cancellationToken)
    {
        var prefix = P.DirectoryPrefix(path);
        var walk = new FlatWalk(path, visitor, options);
        var request = new ListObjectsV2Request { BucketName = store.Bucket, Prefix = prefix, MaxKeys = P.ListObjectsPageSize };

        // The hint is a walk key (a path, or a directory path plus "/"); keys sort the same
        // way, so the listing can start right after it. FlatWalk still filters by the hint.
        var hint = options?.StartAfterHint;
        if (!string.IsNullOrEmpty(hint) && hint.StartsWith('/'))
        {
            var after = P.KeyOf(hint);
            if (hint.EndsWith('/') && !after.EndsWith('/'))
            {
                after += "/";
            }

            if (string.CompareOrdinal(after, prefix) > 0)
            {
                request.StartAfter = after;
            }
        }

        var seen = false;
        do
        {
            var page = await ListPageAsync("Walk", path, request, cancellationToken).ConfigureAwait(false);
            foreach (var o in page.S3Objects ?? [])
            {
                seen = true;
                // Keys that are no valid path (directory markers "a/", "a//b") cannot be walked: skip them.
                if (P.PathOf(o.Key) is not { } file)
                {
                    continue;
                }

                var info = StorageFileInfo.File(file, o.Size ?? 0, o.LastModified is { } m ? new DateTimeOffset(m.ToUniversalTime()) : default);
                if (!await walk.AddFileAsync(info, cancellationToken).ConfigureAwait(false))
                {
                    return;
                }
            }

            request.ContinuationToken = page.NextContinuationToken;
            if (page.IsTruncated != true)
            {
                break;
            }
        }
        while (true);

        if (!seen && path != StoragePath.Root && !await HasDescendantsAsync(path, cancellationToken).ConfigureAwait(false))
        {
            throw DriverErrors.PathNotFound(store.DriverName, path);
        }
    }

    /// <summary>Whether anything is stored below <paramref name="path"/> (a one-key listing).</summary>
    public async Task<bool> HasDescendantsAsync(string path, CancellationToken cancellationToken)
    {
        var page = await ListPageAsync("Stat", path, new ListObjectsV2Request
        {
            BucketName = store.Bucket,
            Prefix = P.DirectoryPrefix(path),
            MaxKeys = 1,
        }, cancellationToken).ConfigureAwait(false);
        return page.S3Objects is { Count: > 0 };
    }

    private async Task<ListObjectsV2Response> ListPageAsync(string operation, string path, ListObjectsV2Request request, CancellationToken cancellationToken)
    {
        try
        {
            return await store.Client.ListObjectsV2Async(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            throw store.Error(operation, path, ex);
        }
    }
}
