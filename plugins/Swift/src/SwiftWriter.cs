using System.Collections.Concurrent;
using Registry.Storage.Kit;

namespace Registry.Storage.Drivers.Swift;

/// <summary>
/// Writes a large object as segments (one PUT per chunk, each verified by its MD5) and
/// publishes it on commit: a plain PUT when everything fits one chunk, else an SLO manifest,
/// which Swift verifies before the object appears. Memory: the chunk being filled plus
/// <c>uploadconcurrency</c> uploading (<see cref="ChunkedUploader"/>; one by default). Closing uploads the
/// partial chunk as a short segment and records the upload for a later resume; cancel deletes
/// the segments this upload wrote. Before its first segment a fresh writer records the upload
/// open (<see cref="SwiftPendingUpload.Open"/>), so that one which never ends is still listed and
/// discarded with everything in its segment folder.
/// </summary>
internal sealed class SwiftWriter : FileWriter
{
    private readonly SwiftClient _client;
    private readonly SwiftLayout _layout;
    private readonly SwiftUploads _uploads;
    private readonly SwiftDriverContext _context;
    private readonly SwiftPendingUpload _start;
    private readonly ChunkedUploader _uploader;
    private readonly ConcurrentDictionary<int, SegmentRef> _uploaded = new();
    private readonly bool _hasRecord;
    private readonly Lock _recordGate = new();
    private Task? _recording;
    private bool _commitAttempted;
    private bool _publishSent;
    private volatile bool _segmentOutcomeUnknown;
    private long _written;

    public SwiftWriter(string path, SwiftClient client, SwiftLayout layout, SwiftUploads uploads, SwiftDriverContext context, SwiftPendingUpload start, bool hasRecord)
        : base(SwiftErrors.DriverName, path)
    {
        _client = client;
        _layout = layout;
        _uploads = uploads;
        _context = context;
        _start = start;
        _hasRecord = hasRecord;
        _uploader = new ChunkedUploader(context.ChunkSize, context.UploadConcurrency, UploadSegmentAsync);
    }

    public override long Size => _start.Size + _written;

    protected override async ValueTask WriteCoreAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken)
    {
        await _uploader.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        _written += buffer.Length;
    }

    protected override async Task CommitCoreAsync(CancellationToken cancellationToken)
    {
        _commitAttempted = true;
        var key = _layout.ObjectKey(TargetPath);
        var replaced = await _client.SegmentsAtAsync(key, cancellationToken).ConfigureAwait(false);

        IReadOnlyList<SegmentRef> segments;
        if (_start.Segments.Count == 0 && _uploader.NextIndex == 0)
        {
            // Everything fits one chunk: a plain object, as distribution stores small files.
            await _client.PutAsync(key, _uploader.Pending, cancellationToken).ConfigureAwait(false);
            _uploader.DiscardPending();
            segments = [];
        }
        else
        {
            await _uploader.CompleteAsync(cancellationToken).ConfigureAwait(false);
            segments = AllSegments().Where(s => s.Size > 0).ToArray();
            await PublishAsync(key, segments, cancellationToken).ConfigureAwait(false);
        }

        if (HasRecord)
        {
            await _uploads.ForgetPendingAsync(TargetPath, cancellationToken).ConfigureAwait(false);
        }

        // The replaced large object's segments are garbage now.
        await _client.DeleteOrphanedSegmentsAsync(replaced, segments, _context.BulkDeleteMax, TargetPath, cancellationToken).ConfigureAwait(false);
    }

    private async Task PublishAsync(string key, IReadOnlyList<SegmentRef> segments, CancellationToken cancellationToken)
    {
        if (segments.Count == 0)
        {
            await _client.PutAsync(key, ReadOnlyMemory<byte>.Empty, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (segments.Count > _context.MaxManifestSegments)
        {
            throw new StorageDriverException(SwiftErrors.DriverName,
                $"cannot commit {TargetPath}: {segments.Count} segments exceed the cluster's max_manifest_segments ({_context.MaxManifestSegments}); raise chunksize")
            { Path = TargetPath };
        }

        _publishSent = true;
        await _client.PutStaticManifestAsync(key, segments, cancellationToken).ConfigureAwait(false);
    }

    protected override async Task CancelCoreAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _uploader.DrainAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is StorageDriverException or OperationCanceledException)
        {
            // a failed segment upload does not stop the cancel: delete what did arrive
        }

        _uploader.DiscardPending();
        if (!HasRecord && _start.Segments.Count == 0 && _uploader.NextIndex == 0)
        {
            return; // nothing ever went up
        }

        if (_publishSent)
        {
            // The manifest PUT went out and its outcome is unknown: the proxy may still be applying
            // it (a client that gave up does not stop it), and deleting the segments now would leave
            // the published manifest without them — every read a 409 (found by the 30-minute soak,
            // where the end of the run cut a commit short). The upload stays recorded, open, for
            // ListUploads and purging to discard later; a discard keeps whatever was published.
            await _uploads.SavePendingAsync(TargetPath, OpenRecord, cancellationToken).ConfigureAwait(false);
            return;
        }

        var owned = await _uploads.SegmentsOfAsync(_start, AllSegments(), cancellationToken).ConfigureAwait(false);
        if (_commitAttempted)
        {
            owned = await _uploads.UnpublishedAsync(TargetPath, owned, cancellationToken).ConfigureAwait(false);
        }

        if (_segmentOutcomeUnknown)
        {
            // A segment PUT given up may still land after the listing above (the 30-minute soak
            // found such segments named by nothing once the record was gone): delete what is there
            // now and keep the upload recorded open, for ListUploads and purging to discard later.
            await _uploads.SavePendingAsync(TargetPath, OpenRecord, cancellationToken).ConfigureAwait(false);
            if (owned.Count > 0)
            {
                await _client.DeleteManyAsync(owned, _context.BulkDeleteMax, TargetPath, cancellationToken).ConfigureAwait(false);
            }
        }
        else if (HasRecord)
        {
            await _uploads.DeleteSegmentsThenRecordAsync(TargetPath, owned, cancellationToken).ConfigureAwait(false);
        }
        else if (owned.Count > 0)
        {
            await _client.DeleteManyAsync(owned, _context.BulkDeleteMax, TargetPath, cancellationToken).ConfigureAwait(false);
        }
    }

    protected override async ValueTask CloseCoreAsync()
    {
        // The partial chunk becomes a short segment: SLO accepts segments of any size but zero.
        await _uploader.CompleteAsync(CancellationToken.None).ConfigureAwait(false);
        var upload = new SwiftPendingUpload(_start.SegmentPrefix, _uploader.NextIndex + _start.NextNumber, AllSegments());
        await _uploads.SavePendingAsync(TargetPath, upload, CancellationToken.None).ConfigureAwait(false);
    }

    protected override ValueTask ReleaseAsync() => _uploader.DisposeAsync();

    /// <summary>Whether a pending-upload record exists (or may: its PUT was sent) that commit and cancel remove.</summary>
    private bool HasRecord => _hasRecord || Volatile.Read(ref _recording) is not null;

    private async Task UploadSegmentAsync(Chunk chunk, CancellationToken cancellationToken)
    {
        if (!_hasRecord)
        {
            await RecordOpenOnceAsync(cancellationToken).ConfigureAwait(false);
        }

        var name = SwiftLayout.SegmentName(_start.SegmentPrefix, _start.NextNumber + chunk.Index);
        try
        {
            var etag = await _client.PutAsync(name, chunk.Data, cancellationToken).ConfigureAwait(false);
            _uploaded[chunk.Index] = new SegmentRef(_client.Container, name, chunk.Data.Length, etag);
        }
        catch
        {
            // Cancelled or failed once sent: the proxy may still store it, after any listing a cancel makes.
            _segmentOutcomeUnknown = true;
            throw;
        }
    }

    // Segment uploads run concurrently: the first one writes the record, the others wait for it.
    private Task RecordOpenOnceAsync(CancellationToken cancellationToken)
    {
        lock (_recordGate)
        {
            return _recording ??= _uploads.SavePendingAsync(TargetPath, OpenRecord, cancellationToken);
        }
    }

    // What a running writer records: where its segments go, none of them known to be whole.
    private SwiftPendingUpload OpenRecord => _start with { Open = true };

    private List<SegmentRef> AllSegments()
    {
        var all = new List<SegmentRef>(_start.Segments);
        all.AddRange(_uploaded.OrderBy(u => u.Key).Select(u => u.Value));
        return all;
    }
}
