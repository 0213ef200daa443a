using Registry.Storage.Kit;

namespace Registry.Storage.Drivers.Rados;

/// <summary>
/// Writes a file as stripes of a fresh file id, several stripes in flight
/// (<see cref="ChunkedUploader"/>). Close records the size on stripe 0 — the truth a resumed
/// writer starts from; Commit swaps the directory entry to the new id (so content appears
/// only then) and removes the content it replaced; Cancel removes the stripes.
/// </summary>
internal sealed class RadosFileWriter : FileWriter
{
    private readonly RadosFileStore _store;
    private readonly RadosDirectoryIndex _index;
    private readonly DirectoryEntry _upload;
    private readonly ChunkedUploader _uploader;
    private readonly TimeProvider _clock;
    private long _size;

    private RadosFileWriter(RadosFileStore store, RadosDirectoryIndex index, TimeProvider clock, string path, DirectoryEntry upload, long size)
        : base(RadosDriver.DriverName, path)
    {
        _store = store;
        _index = index;
        _clock = clock;
        _upload = upload;
        _size = size;

        // A resumed writer continues at the stripe holding the tail; that stripe is rewritten whole.
        _uploader = new ChunkedUploader(upload.ChunkSize, store.Concurrency,
            (chunk, ct) => store.WriteStripeAsync(upload.FileId, chunk.Index, chunk.Data, ct),
            firstIndex: checked((int)(size / upload.ChunkSize)));
    }

    /// <inheritdoc />
    public override long Size => _size;

    /// <summary>Starts a new upload at <paramref name="path"/>, replacing one in progress there.</summary>
    public static async Task<RadosFileWriter> StartAsync(RadosFileStore store, RadosDirectoryIndex index, TimeProvider clock, string path, int chunkSize, CancellationToken cancellationToken)
    {
        // The record sits in the directory's omap, so deleting the directory also finds an
        // abandoned upload; swapping it in returns the upload it replaced, whose stripes go.
        var upload = DirectoryEntry.Upload(StoragePath.Name(path), RadosLayout.NewFileId(), chunkSize);
        if (await index.PublishAsync(path, upload, cancellationToken).ConfigureAwait(false) is { } previous)
        {
            await store.RemoveUploadStripesAsync(previous, cancellationToken).ConfigureAwait(false);
        }

        return new RadosFileWriter(store, index, clock, path, upload, 0);
    }

    /// <summary>Resumes the upload a closed writer left at <paramref name="path"/>, from the size recorded on its stripe 0.</summary>
    public static async Task<RadosFileWriter> ResumeAsync(RadosFileStore store, RadosDirectoryIndex index, TimeProvider clock, string path, DirectoryEntry upload, CancellationToken cancellationToken)
    {
        var size = await store.ReadSizeAsync(upload.FileId, cancellationToken).ConfigureAwait(false) ?? 0;
        var writer = new RadosFileWriter(store, index, clock, path, upload, size);
        var tail = (int)(size % upload.ChunkSize);
        if (tail > 0)
        {
            // Bounded: less than one stripe comes back into the uploader's buffer.
            var buffer = new byte[tail];
            var got = await store.ReadStripeAsync(upload.FileId, size / upload.ChunkSize, 0, buffer, cancellationToken).ConfigureAwait(false);
            if (got != tail)
            {
                throw new StorageDriverException(RadosDriver.DriverName, $"cannot resume {path}: its last stripe holds {got} bytes where {tail} were recorded") { Path = path };
            }

            await writer._uploader.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        }

        return writer;
    }

    /// <inheritdoc />
    protected override async ValueTask WriteCoreAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken)
    {
        try
        {
            // A stripe that failed to upload surfaces here, on the next write, as librados reported it.
            await _uploader.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            throw RadosErrors.Map(ex, "write", TargetPath);
        }

        _size += buffer.Length;
    }

    /// <inheritdoc />
    protected override async Task CommitCoreAsync(CancellationToken cancellationToken)
    {
        try
        {
            var modTime = _clock.GetUtcNow();
            await FlushStripesAsync(modTime, cancellationToken).ConfigureAwait(false);
            var entry = DirectoryEntry.File(StoragePath.Name(TargetPath), _upload.FileId, _size, modTime, _upload.ChunkSize);
            var replaced = await _index.PublishAsync(TargetPath, entry, cancellationToken).ConfigureAwait(false);
            await _index.RemoveAsync(TargetPath, _upload, cancellationToken).ConfigureAwait(false);
            if (replaced is { IsFile: true } && replaced.FileId != _upload.FileId)
            {
                await _store.RemoveStripesAsync(replaced.FileId, RadosLayout.StripeCount(replaced.Size, replaced.ChunkSize), cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            throw RadosErrors.Map(ex, "commit", TargetPath);
        }
    }

    /// <inheritdoc />
    protected override async Task CancelCoreAsync(CancellationToken cancellationToken)
    {
        try
        {
            _uploader.DiscardPending();
            try
            {
                await _uploader.DrainAsync().ConfigureAwait(false);
            }
            catch (Exception)
            {
                // a failed stripe is removed below like the others
            }

            // A Commit that failed with its outcome unknown (cancelled, timed out, the OSD gone) may
            // have published this upload's id at the path: then the stripes are the file's content
            // and stay (found by the long soak: a cancel after an interrupted commit left an entry
            // whose stripes were gone). Only the upload's own record goes.
            if (await _index.LookupAsync(TargetPath, cancellationToken).ConfigureAwait(false) is { IsFile: true } published
                && published.FileId == _upload.FileId)
            {
                await _index.RemoveAsync(TargetPath, _upload, cancellationToken).ConfigureAwait(false);
                return;
            }

            var stripes = Math.Max(_uploader.NextIndex, RadosLayout.StripeCount(_size, _upload.ChunkSize));
            await _store.RemoveStripesAsync(_upload.FileId, stripes, cancellationToken).ConfigureAwait(false);
            if (await _index.RemoveAsync(TargetPath, _upload, cancellationToken).ConfigureAwait(false))
            {
                await _index.PruneAsync(StoragePath.Parent(TargetPath), cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            throw RadosErrors.Map(ex, "cancel", TargetPath);
        }
    }

    /// <inheritdoc />
    protected override async ValueTask CloseCoreAsync()
    {
        try
        {
            await FlushStripesAsync(_clock.GetUtcNow(), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            throw RadosErrors.Map(ex, "close", TargetPath);
        }
    }

    /// <inheritdoc />
    protected override ValueTask ReleaseAsync() => _uploader.DisposeAsync();

    // Every stripe stored, then the size: a crash in between leaves the old size, which is still true.
    private async Task FlushStripesAsync(DateTimeOffset modTime, CancellationToken cancellationToken)
    {
        await _uploader.CompleteAsync(cancellationToken).ConfigureAwait(false);
        await _store.WriteMetadataAsync(_upload.FileId, _size, modTime, _upload.ChunkSize, cancellationToken).ConfigureAwait(false);
    }
}
