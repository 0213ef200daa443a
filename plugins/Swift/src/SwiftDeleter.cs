namespace Registry.Storage.Drivers.Swift;

/// <summary>
/// Deletes a file or a whole tree: gathers the objects at and below the path (a listing with
/// the prefix <c>path/</c>, so <c>/a/b</c> never touches <c>/a/bc</c>), the segments of every
/// manifest among them (SLO from the manifest, DLO from its prefix) and the pending uploads
/// there with everything in their segment folders, then removes them all in bulk-delete batches.
/// </summary>
internal sealed class SwiftDeleter(SwiftClient client, SwiftLayout layout, SwiftDriverContext context, SwiftUploads uploads)
{
    public async Task DeleteAsync(string path, CancellationToken cancellationToken)
    {
        var doomed = new List<SegmentRef>();
        var found = false;
        if (path != StoragePath.Root)
        {
            var key = layout.ObjectKey(path);
            if (await client.HeadAsync(key, cancellationToken).ConfigureAwait(false) is { } info)
            {
                found = true;
                doomed.Add(Object(key));
                doomed.AddRange(await client.SegmentsOfAsync(key, info, cancellationToken).ConfigureAwait(false));
            }
        }

        await foreach (var entry in client.ListAsync(layout.DirectoryPrefix(path), false, null, cancellationToken).ConfigureAwait(false))
        {
            found = true;
            doomed.Add(Object(entry.Name));
            doomed.AddRange(await SegmentsOfListedAsync(entry, cancellationToken).ConfigureAwait(false));
        }

        await foreach (var (record, _) in uploads.RecordsAsync(path, cancellationToken).ConfigureAwait(false))
        {
            doomed.Add(Object(record));
            if (await client.GetBytesAsync(record, cancellationToken).ConfigureAwait(false) is { } data)
            {
                var upload = SwiftPendingUpload.Deserialize(data);
                doomed.AddRange(await uploads.SegmentsOfAsync(upload, upload.Segments, cancellationToken).ConfigureAwait(false));
            }
        }

        if (doomed.Count > 0)
        {
            await client.DeleteManyAsync(doomed, context.BulkDeleteMax, path, cancellationToken).ConfigureAwait(false);
        }

        if (!found)
        {
            // Only an abandoned upload (never visible) was there: cleaned up, but the path did not exist.
            throw DriverErrors.PathNotFound(SwiftErrors.DriverName, path);
        }
    }

    // The listing marks SLO manifests; a DLO manifest is a zero-byte object, so only those need a HEAD.
    private async Task<IReadOnlyList<SegmentRef>> SegmentsOfListedAsync(SwiftListingEntry entry, CancellationToken cancellationToken)
    {
        if (entry.IsStaticLargeObject)
        {
            return await client.GetStaticSegmentsAsync(entry.Name, cancellationToken).ConfigureAwait(false) ?? [];
        }

        if (entry.Bytes == 0 && await client.HeadAsync(entry.Name, cancellationToken).ConfigureAwait(false) is { DynamicManifest: { } manifest })
        {
            return await client.ListDynamicSegmentsAsync(manifest, cancellationToken).ConfigureAwait(false);
        }

        return [];
    }

    private SegmentRef Object(string key) => new(client.Container, key, 0, null);
}
