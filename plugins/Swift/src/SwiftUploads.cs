using System.Runtime.CompilerServices;

namespace Registry.Storage.Drivers.Swift;

/// <summary>
/// Opens writers: starts an upload, resumes what a closed writer left (its pending-upload
/// record), or extends committed zero-length content. Keeps, lists and discards the records.
/// </summary>
internal sealed class SwiftUploads(SwiftClient client, SwiftLayout layout, SwiftDriverContext context)
{
    public async Task<SwiftWriter> OpenAsync(string path, bool append, CancellationToken cancellationToken)
    {
        var pending = await ReadPendingAsync(path, cancellationToken).ConfigureAwait(false);
        var abandoned = false;
        if (pending is not null && (!append || pending.Open))
        {
            // A new upload replaces the abandoned one, and one whose writer never closed cannot be
            // resumed (which of its segments arrived is unknown): its segments would otherwise leak.
            await DiscardAsync(path, pending, cancellationToken).ConfigureAwait(false);
            pending = null;
            abandoned = true;
        }

        if (!append || abandoned)
        {
            // After discarding an upload whose writer never closed, an append starts from nothing:
            // the upload was there, but none of it is resumable (its size says so).
            return NewWriter(path);
        }

        if (pending is not null)
        {
            return new SwiftWriter(path, client, layout, this, context, pending, hasRecord: true);
        }

        // Append extends only what a closed writer left, or committed empty content (distribution's rule).
        var committed = await client.HeadAsync(layout.ObjectKey(path), cancellationToken).ConfigureAwait(false)
            ?? throw DriverErrors.PathNotFound(SwiftErrors.DriverName, path);

        if (committed.Size != 0)
        {
            throw new StorageDriverException(SwiftErrors.DriverName, $"cannot append to {path}: it holds committed content ({committed.Size} bytes)") { Path = path };
        }

        return NewWriter(path);
    }

    /// <summary>The pending-upload record of <paramref name="path"/>, or null.</summary>
    public async Task<SwiftPendingUpload?> ReadPendingAsync(string path, CancellationToken cancellationToken)
    {
        var data = await client.GetBytesAsync(layout.PendingUploadKey(path), cancellationToken).ConfigureAwait(false);
        return data is null ? null : SwiftPendingUpload.Deserialize(data);
    }

    /// <summary>Stores the record a later writer resumes from.</summary>
    public Task SavePendingAsync(string path, SwiftPendingUpload upload, CancellationToken cancellationToken) =>
        client.PutAsync(layout.PendingUploadKey(path), upload.Serialize(), cancellationToken);

    /// <summary>Removes the record of <paramref name="path"/>.</summary>
    public Task ForgetPendingAsync(string path, CancellationToken cancellationToken) =>
        client.DeleteAsync(layout.PendingUploadKey(path), cancellationToken);

    /// <summary>
    /// The pending-upload records at or below <paramref name="path"/> — the path's own (a HEAD) and
    /// those below it (one listing of <c>pending-uploads{path}/</c>, which never reaches a sibling
    /// sharing the prefix) — each with when it was written.
    /// </summary>
    public async IAsyncEnumerable<(string Key, DateTimeOffset Written)> RecordsAsync(string path, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (path != StoragePath.Root && await client.HeadAsync(layout.PendingUploadKey(path), cancellationToken).ConfigureAwait(false) is { } own)
        {
            yield return (layout.PendingUploadKey(path), own.ModTime);
        }

        await foreach (var entry in client.ListAsync(layout.PendingUploadPrefix(path), false, null, cancellationToken).ConfigureAwait(false))
        {
            yield return (entry.Name, entry.LastModified);
        }
    }

    /// <summary>
    /// The uploads closed writers left at or below <paramref name="path"/>: each record's path, the
    /// bytes of its segments (what a resumed writer starts from) and when the record was written,
    /// which is when its writer closed. A record removed meanwhile is skipped.
    /// </summary>
    public async IAsyncEnumerable<PendingUpload> ListPendingAsync(string path, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var (key, written) in RecordsAsync(path, cancellationToken).ConfigureAwait(false))
        {
            var uploadPath = layout.PathOfPendingUpload(key);
            if (StoragePath.IsValid(uploadPath) && await client.GetBytesAsync(key, cancellationToken).ConfigureAwait(false) is { } data)
            {
                yield return new PendingUpload(uploadPath, SwiftPendingUpload.Deserialize(data).Size, written);
            }
        }
    }

    /// <summary>Deletes a pending upload's own segments and then its record.</summary>
    public async Task DiscardAsync(string path, SwiftPendingUpload upload, CancellationToken cancellationToken)
    {
        var owned = await UnpublishedAsync(path, await SegmentsOfAsync(upload, upload.Segments, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        await DeleteSegmentsThenRecordAsync(path, owned, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Deletes <paramref name="segments"/>, then the record of <paramref name="path"/>, in two bulk
    /// requests: a bulk delete that stops part-way must not take the record (the only thing that
    /// names the segments) and leave segments behind.
    /// </summary>
    public async Task DeleteSegmentsThenRecordAsync(string path, IReadOnlyList<SegmentRef> segments, CancellationToken cancellationToken)
    {
        if (segments.Count > 0)
        {
            await client.DeleteManyAsync(segments, context.BulkDeleteMax, path, cancellationToken).ConfigureAwait(false);
        }

        await ForgetPendingAsync(path, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Every segment of an upload: the <paramref name="known"/> ones and whatever its segment folder
    /// holds — a segment whose PUT failed with the answer lost, or one uploaded after the record
    /// was written, is known to no record.
    /// </summary>
    public async Task<List<SegmentRef>> SegmentsOfAsync(SwiftPendingUpload upload, IEnumerable<SegmentRef> known, CancellationToken cancellationToken)
    {
        var all = known.ToDictionary(s => (s.Container, s.Key));
        await foreach (var entry in client.ListAsync(upload.SegmentPrefix + "/", false, null, cancellationToken).ConfigureAwait(false))
        {
            all.TryAdd((client.Container, entry.Name), new SegmentRef(client.Container, entry.Name, entry.Bytes, null));
        }

        return [.. all.Values];
    }

    /// <summary>
    /// <paramref name="segments"/> without those the object at <paramref name="path"/> references: a
    /// commit that failed with its outcome unknown (the answer lost, the record's removal failed) may
    /// have published them, and then they are the file's content (found by the long soak, where a
    /// cancel after an interrupted commit left an entry without its content).
    /// </summary>
    public async Task<List<SegmentRef>> UnpublishedAsync(string path, List<SegmentRef> segments, CancellationToken cancellationToken)
    {
        if (segments.Count == 0)
        {
            return segments;
        }

        var published = (await client.SegmentsAtAsync(layout.ObjectKey(path), cancellationToken).ConfigureAwait(false))
            .Select(r => (r.Container, r.Key)).ToHashSet();
        return [.. segments.Where(r => !published.Contains((r.Container, r.Key)))];
    }

    private SwiftWriter NewWriter(string path) =>
        new(path, client, layout, this, context, new SwiftPendingUpload(layout.NewSegmentPrefix(), 1, []), hasRecord: false);
}
