using System.Net;
using System.Runtime.InteropServices;
using Amazon.S3;
using Amazon.S3.Model;
using Registry.Storage.Kit;

namespace Registry.Storage.Drivers.S3;

/// <summary>
/// A writer backed by one multipart upload. Bytes are cut into parts of exactly
/// <c>chunksize</c> (only the last one shorter) by <see cref="ChunkedUploader"/>, which
/// uploads up to <c>uploadconcurrency</c> parts at once from pooled buffers, so memory stays
/// at chunksize × (concurrency + 1) whatever the blob's size. Nothing is visible at the path
/// until Commit completes the upload.
/// </summary>
/// <remarks>
/// Close (dispose without commit) uploads the buffered tail as a short part; a resumed writer
/// finds the upload and its parts again (<see cref="S3Uploads"/>). S3 accepts a part under
/// 5 MiB only as the last one, so a resumed writer whose last part is that short does what
/// distribution does before its first new byte (<see cref="RestartAsync"/>). A resumed writer's
/// commit or cancel also aborts older uploads of the same key, which no resume could reach.
/// </remarks>
internal sealed class S3Writer : FileWriter
{
    private readonly S3Store _store;
    private readonly string _key;
    private readonly List<UploadedPart> _parts;
    private readonly IReadOnlyList<string> _olderUploads;
    private readonly int _chunkSize;
    private string _uploadId;
    private long _size;
    private bool _needsRestart;
    private bool _restarted;
    private bool _aborted;
    private bool _completeSent;
    private bool _completionUnknown;
    private ChunkedUploader? _uploader;

    private S3Writer(S3Store store, string path, string key, string uploadId, IReadOnlyList<UploadedPart> parts, IReadOnlyList<string>? olderUploads = null)
        : base(store.DriverName, path)
    {
        _store = store;
        _key = key;
        _uploadId = uploadId;
        _parts = [.. parts];
        _olderUploads = olderUploads ?? [];
        _size = parts.Sum(p => p.Size);
        _needsRestart = parts.Count > 0 && parts[^1].Size < S3Parameters.MinChunkSize;
        // A part is one pooled array: the largest whole MiB an array can hold caps chunksize (5 GiB allowed by S3).
        _chunkSize = (int)Math.Min(store.Parameters.ChunkSize, Array.MaxLength & ~((1 << 20) - 1));
    }

    /// <inheritdoc />
    public override long Size => _size;

    /// <summary>A writer over a new multipart upload.</summary>
    public static async Task<S3Writer> CreateAsync(S3Store store, string path, CancellationToken cancellationToken)
    {
        var key = store.Parameters.KeyOf(path);
        var uploadId = await InitiateAsync(store, path, key, cancellationToken).ConfigureAwait(false);
        return new S3Writer(store, path, key, uploadId, []);
    }

    /// <summary>
    /// A writer that continues the upload a closed writer left at <paramref name="path"/>, or
    /// starts one over committed zero-length content (distribution's rule).
    /// </summary>
    public static async Task<S3Writer> ResumeAsync(S3Store store, string path, CancellationToken cancellationToken)
    {
        var key = store.Parameters.KeyOf(path);
        if (await new S3Uploads(store).FindAsync(path, key, cancellationToken).ConfigureAwait(false) is { } upload)
        {
            return new S3Writer(store, path, key, upload.UploadId, upload.Parts, upload.Older);
        }

        GetObjectMetadataResponse head;
        try
        {
            head = await store.Client.GetObjectMetadataAsync(store.Bucket, key, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            throw store.Error("Writer", path, ex);
        }

        if (head.ContentLength != 0)
        {
            throw new StorageDriverException(store.DriverName, $"cannot append to {path}: it holds {head.ContentLength} committed bytes (append works only on uncommitted or empty content)")
            {
                Path = path,
            };
        }

        var uploadId = await InitiateAsync(store, path, key, cancellationToken).ConfigureAwait(false);
        return new S3Writer(store, path, key, uploadId, []);
    }

    /// <inheritdoc />
    protected override async ValueTask WriteCoreAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken)
    {
        if (_needsRestart)
        {
            await RestartAsync(cancellationToken).ConfigureAwait(false);
        }

        await Uploader.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        _size += buffer.Length;
    }

    /// <inheritdoc />
    protected override async Task CommitCoreAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (_uploader is not null)
            {
                await _uploader.CompleteAsync(cancellationToken).ConfigureAwait(false);
            }

            if (_parts.Count == 0)
            {
                // S3 cannot complete an upload without parts: an empty file is a plain empty object.
                await _store.Client.PutObjectAsync(_store.NewPut(_key), cancellationToken).ConfigureAwait(false);
                await _store.AbortQuietlyAsync(_key, _uploadId).ConfigureAwait(false);
            }
            else
            {
                _completeSent = true;
                await CompleteAsync(cancellationToken).ConfigureAwait(false);
            }

            await AbortOlderUploadsAsync().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // Closing the writer afterwards has nothing left to keep.
            _aborted = true;
            if (_completeSent && ex is not AmazonS3Exception { StatusCode: >= HttpStatusCode.BadRequest and < HttpStatusCode.InternalServerError })
            {
                // The completion went out and no refusal came back (the call was cut short, timed
                // out, or the server failed): the server may still be assembling the object, and an
                // abort racing it can leave RGW with the object's head but not its parts — HEAD
                // finds it, GET answers NoSuchKey (found by the 30-minute soak when the end of the
                // run cut commits short). The upload stays for ListUploads and purging to discard.
                _completionUnknown = true;
            }
            else
            {
                // Refused, or never sent: nothing can appear, so nothing is left behind.
                await _store.AbortQuietlyAsync(_key, _uploadId).ConfigureAwait(false);
            }

            throw _store.Error("Commit", TargetPath, ex);
        }
    }

    /// <inheritdoc />
    protected override async Task CancelCoreAsync(CancellationToken cancellationToken)
    {
        if (_uploader is not null)
        {
            _uploader.DiscardPending();
            try
            {
                await _uploader.DrainAsync().ConfigureAwait(false);
            }
#pragma warning disable CA1031 // the parts are thrown away anyway; their failure does not matter
            catch (Exception)
#pragma warning restore CA1031
            {
                // nothing to keep
            }
        }

        if (_completionUnknown)
        {
            return; // see CommitCoreAsync: an abort now could race the completion
        }

        try
        {
            await _store.Client.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = _store.Bucket, Key = _key, UploadId = _uploadId }, cancellationToken)
                .ConfigureAwait(false);
            await AbortOlderUploadsAsync().ConfigureAwait(false);
            if (_restarted)
            {
                // The restart made partial content visible at the path; a cancel leaves nothing there.
                await _store.Client.DeleteObjectAsync(_store.Bucket, _key, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            throw _store.Error("Cancel", TargetPath, ex);
        }
    }

    /// <inheritdoc />
    protected override async ValueTask CloseCoreAsync()
    {
        if (_uploader is null || _aborted)
        {
            return;
        }

        try
        {
            // The tail becomes the (short) last part, so a later writer can resume after it.
            await _uploader.CompleteAsync(CancellationToken.None).ConfigureAwait(false);
            if (_restarted)
            {
                // The new upload holds every byte now: the partial content the restart made
                // visible at the path goes, so nothing shows before a commit (and a later
                // cancel, which cannot tell it from committed content, has nothing to remove).
                await _store.Client.DeleteObjectAsync(_store.Bucket, _key, CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            throw _store.Error("Close", TargetPath, ex);
        }
    }

    /// <inheritdoc />
    protected override async ValueTask ReleaseAsync()
    {
        if (_uploader is not null)
        {
            await _uploader.DisposeAsync().ConfigureAwait(false);
            _uploader = null;
        }
    }

    private ChunkedUploader Uploader =>
        _uploader ??= new ChunkedUploader(_chunkSize, _store.Parameters.UploadConcurrency, UploadPartAsync, firstIndex: _parts.Count);

    private async Task UploadPartAsync(Chunk chunk, CancellationToken cancellationToken)
    {
        if (!MemoryMarshal.TryGetArray(chunk.Data, out var segment) || segment.Array is null)
        {
            throw new InvalidOperationException("chunks are pooled arrays");
        }

        var number = chunk.Index + 1;
        using var body = new MemoryStream(segment.Array, segment.Offset, segment.Count, writable: false);
        UploadPartResponse response;
        try
        {
            response = await _store.Client.UploadPartAsync(new UploadPartRequest
            {
                BucketName = _store.Bucket,
                Key = _key,
                UploadId = _uploadId,
                PartNumber = number,
                InputStream = body,
                PartSize = segment.Count,
                // The part is in memory, so its SHA-256 can go in the header: aws-chunked streaming
                // signatures sign every 80 KiB and allocated 120 MiB per 1 GiB written (71 without),
                // and the write ran ~8 % slower (three alternating runs against RGW).
                UseChunkEncoding = false,
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            throw _store.Error($"Write (part {number})", TargetPath, ex);
        }

        lock (_parts)
        {
            _parts.Add(new UploadedPart(number, response.ETag, segment.Count));
        }
    }

    private async Task CompleteAsync(CancellationToken cancellationToken)
    {
        var parts = _parts.OrderBy(p => p.Number).Select(p => new PartETag(p.Number, p.ETag)).ToList();
        await _store.Client.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
        {
            BucketName = _store.Bucket,
            Key = _key,
            UploadId = _uploadId,
            PartETags = parts,
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Distribution's answer to a resumed upload whose last part is under S3's 5 MiB minimum
    /// (no part may follow it): complete the upload — its content becomes visible at the path
    /// until this writer commits — then start a new upload whose first bytes are that content:
    /// read back into the buffer when under 5 MiB, else copied on the server as leading parts.
    /// </summary>
    private async Task RestartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await CompleteAsync(cancellationToken).ConfigureAwait(false);
            _parts.Clear();
            _uploadId = await InitiateAsync(_store, TargetPath, _key, cancellationToken).ConfigureAwait(false);
            _restarted = true;
            if (_size < S3Parameters.MinChunkSize)
            {
                using var response = await _store.Client.GetObjectAsync(_store.Bucket, _key, cancellationToken).ConfigureAwait(false);
                var buffer = new byte[_size];
                await response.ResponseStream.ReadExactlyAsync(buffer, cancellationToken).ConfigureAwait(false);
                await Uploader.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await CopyExistingAsPartsAsync(cancellationToken).ConfigureAwait(false);
            }

            _needsRestart = false;
        }
        catch (Exception ex)
        {
            throw _store.Error("Write (resume)", TargetPath, ex);
        }
    }

    // Copies the completed object into the new upload as parts of at most chunksize (5 GiB cap),
    // folding a short remainder into the previous part so every part stays >= 5 MiB.
    private async Task CopyExistingAsPartsAsync(CancellationToken cancellationToken)
    {
        var piece = Math.Min(Math.Max(_store.Parameters.ChunkSize, S3Parameters.MinChunkSize), S3Parameters.MaxChunkSize - S3Parameters.MinChunkSize);
        long first = 0;
        var number = 1;
        while (first < _size)
        {
            var last = Math.Min(first + piece, _size) - 1;
            if (_size - (last + 1) < S3Parameters.MinChunkSize)
            {
                last = _size - 1;
            }

            var response = await _store.Client.CopyPartAsync(new CopyPartRequest
            {
                SourceBucket = _store.Bucket,
                SourceKey = _key,
                DestinationBucket = _store.Bucket,
                DestinationKey = _key,
                UploadId = _uploadId,
                PartNumber = number,
                FirstByte = first,
                LastByte = last,
            }, cancellationToken).ConfigureAwait(false);
            _parts.Add(new UploadedPart(number, response.ETag, last - first + 1));
            number++;
            first = last + 1;
        }
    }

    // Older uploads of this key are unreachable (a resume takes the newest): they go with this one.
    private async Task AbortOlderUploadsAsync()
    {
        foreach (var older in _olderUploads)
        {
            await _store.AbortQuietlyAsync(_key, older).ConfigureAwait(false);
        }
    }

    private static async Task<string> InitiateAsync(S3Store store, string path, string key, CancellationToken cancellationToken)
    {
        try
        {
            var response = await store.Client.InitiateMultipartUploadAsync(store.NewMultipart(key), cancellationToken).ConfigureAwait(false);
            return response.UploadId;
        }
        catch (Exception ex)
        {
            throw store.Error("Writer", path, ex);
        }
    }
}
