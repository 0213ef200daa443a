using System.Runtime.CompilerServices;
using Registry.Storage.Kit;

namespace Registry.Storage.Drivers.Oss;

/// <summary>List, Walk, Stat of directories and recursive Delete, all over ListObjectsV2's flat, ordered listing.</summary>
internal sealed class OssLister(OssClient client, OssKeyLayout layout)
{
    /// <summary>Direct children: one delimited listing, paginated.</summary>
    public async IAsyncEnumerable<string> ListAsync(string path, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var prefix = layout.DirectoryPrefix(path);
        string? token = null;
        var any = false;
        do
        {
            var page = await client.ListObjectsAsync(prefix, "/", null, token, OssClient.MaxListKeys, path, cancellationToken).ConfigureAwait(false);
            foreach (var entry in page.Objects.Where(o => !layout.IsHidden(o.Key)))
            {
                any = true;
                yield return layout.PathOf(entry.Key);
            }

            foreach (var common in page.CommonPrefixes.Where(p => !layout.IsHiddenPrefix(p)))
            {
                any = true;
                yield return layout.PathOf(common.TrimEnd('/'));
            }

            token = page.NextContinuationToken;
        }
        while (token is not null);

        // Object stores have no directories: an empty listing means the directory does not exist.
        if (!any && path != StoragePath.Root)
        {
            throw DriverErrors.PathNotFound(client.DriverName, path);
        }
    }

    /// <summary>Whether anything is stored below the directory <paramref name="path"/>.</summary>
    public async Task<bool> DirectoryExistsAsync(string path, CancellationToken cancellationToken)
    {
        var prefix = layout.DirectoryPrefix(path);
        string? token = null;
        do
        {
            var page = await client.ListObjectsAsync(prefix, null, null, token, OssClient.MaxListKeys, path, cancellationToken).ConfigureAwait(false);
            if (page.Objects.Exists(o => !layout.IsHidden(o.Key)))
            {
                return true;
            }

            token = page.NextContinuationToken;
        }
        while (token is not null);

        return false;
    }

    /// <summary>
    /// A native walk: one flat listing below <paramref name="path"/>, resumed at the hint
    /// (start-after), fed to <see cref="FlatWalk"/> which adds directories, skip and stop.
    /// When the visitor skips a directory whose files run past the page, the listing jumps
    /// over the rest of it (start-after its last possible key) instead of paging through it —
    /// what makes a catalog walk that skips <c>_layers</c>, <c>_manifests</c>, <c>_uploads</c> cheap.
    /// </summary>
    public async Task WalkAsync(string path, WalkVisitor visitor, WalkOptions? options, CancellationToken cancellationToken)
    {
        var prefix = layout.DirectoryPrefix(path);
        string? skipped = null;
        var walk = new FlatWalk(path, async (entry, ct) =>
        {
            var decision = await visitor(entry, ct).ConfigureAwait(false);
            if (decision == WalkDecision.SkipDirectory && entry.IsDirectory)
            {
                skipped = entry.Path;
            }

            return decision;
        }, options);

        // Files whose key sorts at or before the hint's key are never reported: let OSS skip them.
        var startAfter = string.IsNullOrEmpty(options?.StartAfterHint) ? null : layout.KeyOf(options.StartAfterHint);
        var hinted = startAfter is not null;
        string? token = null;
        var any = false;
        while (true)
        {
            var page = await client.ListObjectsAsync(prefix, null, startAfter, token, OssClient.MaxListKeys, path, cancellationToken).ConfigureAwait(false);
            foreach (var entry in page.Objects.Where(o => !layout.IsHidden(o.Key)))
            {
                any = true;
                if (!await walk.AddFileAsync(StorageFileInfo.File(layout.PathOf(entry.Key), entry.Size, entry.LastModified), cancellationToken).ConfigureAwait(false))
                {
                    return;
                }
            }

            token = page.NextContinuationToken;
            if (token is null)
            {
                break;
            }

            if (skipped is not null && page.Objects.Count > 0 && StoragePath.IsSameOrDescendant(layout.PathOf(page.Objects[^1].Key), skipped))
            {
                // Path characters are all below '~' (0x7E), so "<dir>/~" sorts after every file key below the skipped directory.
                startAfter = layout.KeyOf(skipped) + "/~";
                token = null;
                skipped = null;
            }
        }

        if (!any && path != StoragePath.Root && (!hinted || !await DirectoryExistsAsync(path, cancellationToken).ConfigureAwait(false)))
        {
            throw DriverErrors.PathNotFound(client.DriverName, path);
        }
    }

    /// <summary>Deletes the file at <paramref name="path"/> and everything below it, 1 000 keys a request; false when there was nothing.</summary>
    public async Task<bool> DeleteTreeAsync(string path, CancellationToken cancellationToken)
    {
        var batch = new List<string>(OssClient.MaxDeleteKeys);
        var deleted = false;
        var fileKey = layout.KeyOf(path);
        if (await client.HeadObjectAsync(fileKey, path, cancellationToken).ConfigureAwait(false) is not null)
        {
            batch.Add(fileKey);
        }

        // Only `key/…`: a sibling that merely shares the prefix (/a/bc for /a/b) is never listed.
        var prefix = layout.DirectoryPrefix(path);
        string? token = null;
        do
        {
            var page = await client.ListObjectsAsync(prefix, null, null, token, OssClient.MaxListKeys, path, cancellationToken).ConfigureAwait(false);
            foreach (var entry in page.Objects)
            {
                batch.Add(entry.Key);
                if (batch.Count == OssClient.MaxDeleteKeys)
                {
                    await client.DeleteObjectsAsync(batch, path, cancellationToken).ConfigureAwait(false);
                    batch.Clear();
                    deleted = true;
                }
            }

            // The token names the last key returned, so deleting what came before it keeps paging correct.
            token = page.NextContinuationToken;
        }
        while (token is not null);

        if (batch.Count > 0)
        {
            await client.DeleteObjectsAsync(batch, path, cancellationToken).ConfigureAwait(false);
            deleted = true;
        }

        return deleted;
    }
}
