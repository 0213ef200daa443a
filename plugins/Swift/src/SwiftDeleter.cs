namespace Registry.Storage.Drivers.Swift;

/// <summary>
/// Deletes a file or a whole tree: gathers the objects at and below the path (a listing with
/// the prefix <c>path/</c>, so <c>/a/b</c> never touches <c>/a/bc</c>), the segments of every
/// manifest among them (SLO from the manifest, DLO from its prefix) and the pending uploads
/// there with everything in their segment folders, then removes them in bulk-delete batches:
/// objects and segments first, the pending-upload records last.
/// </summary>
internal sealed class SwiftDeleter(SwiftClient client, SwiftLayout layout, SwiftDriverContext context, SwiftUploads uploads)
{
    public async Task DeleteAsync(string path, CancellationToken cancellationToken)
    {
        var contents = new List<SegmentRef>();
        var manifests = new List<(string Path, IReadOnlyList<SegmentRef> Segments)>();
        var records = new Dictionary<string, SwiftPendingUpload?>(StringComparer.Ordinal);
        var found = false;
        if (path != StoragePath.Root)
        {
            var key = layout.ObjectKey(path);
            if (await client.HeadAsync(key, cancellationToken).ConfigureAwait(false) is { } info)
            {
                found = true;
                Add(path, key, await client.SegmentsOfAsync(key, info, cancellationToken).ConfigureAwait(false));
            }
        }

        await foreach (var entry in client.ListAsync(layout.DirectoryPrefix(path), false, null, cancellationToken).ConfigureAwait(false))
        {
            found = true;
            Add(layout.PathOf(entry.Name), entry.Name, await SegmentsOfListedAsync(entry, cancellationToken).ConfigureAwait(false));
        }

        await foreach (var (record, _) in uploads.RecordsAsync(path, cancellationToken).ConfigureAwait(false))
        {
            var upload = await client.GetBytesAsync(record, cancellationToken).ConfigureAwait(false) is { } data ? SwiftPendingUpload.Deserialize(data) : null;
            records[layout.PathOfPendingUpload(record)] = upload;
            if (upload is not null)
            {
                contents.AddRange(await uploads.SegmentsOfAsync(upload, upload.Segments, cancellationToken).ConfigureAwait(false));
            }
        }

        // A bulk delete can stop part-way (a proxy restart cut one in the 30-minute soak) after
        // taking a manifest but not all its segments, and nothing would name those again. So
        // every large object's segments are first recorded as an open upload at its path, the
        // records go last, and whatever a failed delete leaves is listed by ListUploads and
        // discarded by purging (or by deleting the path again).
        await Parallel.ForEachAsync(manifests, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (manifest, ct) =>
        {
            var pending = records.GetValueOrDefault(manifest.Path);
            var segments = (pending?.Segments ?? []).Concat(manifest.Segments).DistinctBy(s => (s.Container, s.Key)).ToList();
            var tombstone = pending is null
                ? new SwiftPendingUpload(layout.NewSegmentPrefix(), 1, segments, Open: true)
                : pending with { Segments = segments, Open = true };
            await uploads.SavePendingAsync(manifest.Path, tombstone, ct).ConfigureAwait(false);
        }).ConfigureAwait(false);

        if (contents.Count > 0)
        {
            await client.DeleteManyAsync(contents, context.BulkDeleteMax, path, cancellationToken).ConfigureAwait(false);
        }

        var recordKeys = records.Keys.Concat(manifests.Select(m => m.Path)).Distinct(StringComparer.Ordinal)
            .Select(p => Object(layout.PendingUploadKey(p))).ToList();
        if (recordKeys.Count > 0)
        {
            await client.DeleteManyAsync(recordKeys, context.BulkDeleteMax, path, cancellationToken).ConfigureAwait(false);
        }

        if (!found)
        {
            // Only an abandoned upload (never visible) was there: cleaned up, but the path did not exist.
            throw DriverErrors.PathNotFound(SwiftErrors.DriverName, path);
        }

        void Add(string objectPath, string key, IReadOnlyList<SegmentRef> segments)
        {
            contents.Add(Object(key));
            contents.AddRange(segments);
            if (segments.Count > 0)
            {
                manifests.Add((objectPath, segments));
            }
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
