using System.Collections.Concurrent;
using Registry.Storage.Kit;

namespace Registry.Storage.Drivers.Oss;

/// <summary>
/// A multipart upload behind the FileWriter contract. Every part is exactly one chunk
/// (<see cref="ChunkedUploader"/>: bounded memory, parallel parts); bytes short of a chunk stay
/// in memory until Commit sends them as the last part. Close (dispose without commit) stores
/// those bytes as a small "tail" object beside the root, named after the upload and its part
/// count, so a later <c>WriterAsync(append: true)</c> — in any process — finds the upload
/// (ListMultipartUploads), its parts (ListParts) and the tail, and carries on with uniform
/// parts. Nothing appears at the path before Commit. A resumed writer's Commit or Cancel also
/// aborts older uploads of the same key, which no resume could reach.
/// </summary>
internal sealed class OssWriter : FileWriter
{
    private const int UploadConcurrency = 4;

    private readonly OssClient _client;
    private readonly OssKeyLayout _layout;
    private readonly string _key;
    private readonly string _uploadId;
    private readonly ConcurrentDictionary<int, OssPart> _parts;
    private readonly ChunkedUploader _uploader;
    private string? _storedTail;
    private bool _resumed;
    private List<OssUploadEntry> _olderUploads = [];
    private long _size;

    private OssWriter(OssClient client, OssKeyLayout layout, string path, string uploadId, IEnumerable<OssPart> parts)
        : base(client.DriverName, path)
    {
        _client = client;
        _layout = layout;
        _key = layout.KeyOf(path);
        _uploadId = uploadId;
        _parts = new ConcurrentDictionary<int, OssPart>(parts.ToDictionary(p => p.Number));
        _size = _parts.Values.Sum(p => p.Size);
        _uploader = new ChunkedUploader((int)client.Parameters.ChunkSize, UploadConcurrency, UploadPartAsync, firstIndex: _parts.Count);
    }

    /// <inheritdoc />
    public override long Size => _size;

    /// <summary>A new upload, or (with <paramref name="append"/>) the latest one left at the path, with its tail.</summary>
    public static async Task<OssWriter> OpenAsync(OssClient client, OssKeyLayout layout, string path, bool append, CancellationToken cancellationToken)
    {
        var key = layout.KeyOf(path);
        if (!append)
        {
            return new OssWriter(client, layout, path, await client.InitiateMultipartUploadAsync(key, path, cancellationToken).ConfigureAwait(false), []);
        }

        var (upload, older) = await FindLatestUploadAsync(client, key, path, cancellationToken).ConfigureAwait(false);
        if (upload is null)
        {
            // Appending onto committed zero-length content is allowed: start an upload that will replace it.
            var head = await client.HeadObjectAsync(key, path, cancellationToken).ConfigureAwait(false);
            return head switch
            {
                null => throw DriverErrors.PathNotFound(client.DriverName, path),
                { Size: 0 } => new OssWriter(client, layout, path, await client.InitiateMultipartUploadAsync(key, path, cancellationToken).ConfigureAwait(false), []),
                _ => throw new StorageDriverException(client.DriverName, $"cannot append to {path}: it holds {head.Size} committed bytes and no upload is in progress") { Path = path },
            };
        }

        var parts = await ListPartsAsync(client, key, upload.UploadId, path, cancellationToken).ConfigureAwait(false);
        var writer = new OssWriter(client, layout, path, upload.UploadId, parts) { _resumed = true, _olderUploads = older };
        await writer.LoadTailAsync(cancellationToken).ConfigureAwait(false);
        return writer;
    }

    /// <inheritdoc />
    protected override async ValueTask WriteCoreAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken)
    {
        await _uploader.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        _size += buffer.Length;
    }

    /// <inheritdoc />
    protected override async Task CommitCoreAsync(CancellationToken cancellationToken)
    {
        await _uploader.CompleteAsync(cancellationToken).ConfigureAwait(false);
        if (_parts.IsEmpty)
        {
            // OSS cannot complete an upload without parts: empty content is a plain PutObject.
            await _client.PutObjectAsync(_key, ReadOnlyMemory<byte>.Empty, TargetPath, cancellationToken).ConfigureAwait(false);
            await _client.AbortMultipartUploadAsync(_key, _uploadId, TargetPath, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await _client.CompleteMultipartUploadAsync(_key, _uploadId, _parts.Values.OrderBy(p => p.Number), TargetPath, cancellationToken).ConfigureAwait(false);
        }

        await DeleteTailsAsync(cancellationToken).ConfigureAwait(false);
        await AbortOlderUploadsAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    protected override async Task CancelCoreAsync(CancellationToken cancellationToken)
    {
        _uploader.DiscardPending();
        try
        {
            await _uploader.DrainAsync().ConfigureAwait(false);
        }
        catch (StorageDriverException)
        {
            // a failed part is moot: the whole upload is aborted next
        }

        await _client.AbortMultipartUploadAsync(_key, _uploadId, TargetPath, cancellationToken).ConfigureAwait(false);
        await DeleteTailsAsync(cancellationToken).ConfigureAwait(false);
        await AbortOlderUploadsAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    protected override async ValueTask CloseCoreAsync()
    {
        await _uploader.DrainAsync().ConfigureAwait(false);
        var tailKey = _layout.TailKey(_uploadId, _parts.Count);
        if (_uploader.PendingLength > 0)
        {
            await _client.PutObjectAsync(tailKey, _uploader.Pending, TargetPath, CancellationToken.None).ConfigureAwait(false);
        }

        if (_storedTail is not null && (_storedTail != tailKey || _uploader.PendingLength == 0))
        {
            await _client.DeleteObjectAsync(_storedTail, TargetPath, CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    protected override ValueTask ReleaseAsync() => _uploader.DisposeAsync();

    private async Task UploadPartAsync(Chunk chunk, CancellationToken cancellationToken)
    {
        var number = chunk.Index + 1;
        var etag = await _client.UploadPartAsync(_key, _uploadId, number, chunk.Data, TargetPath, cancellationToken).ConfigureAwait(false);
        _parts[number] = new OssPart(number, etag, chunk.Data.Length);
    }

    // The tail a previous Close left for exactly this many parts; one written for another count is stale.
    private async Task LoadTailAsync(CancellationToken cancellationToken)
    {
        var tailKey = _layout.TailKey(_uploadId, _parts.Count);
        byte[] tail;
        try
        {
            using var response = await _client.GetObjectAsync(tailKey, 0, TargetPath, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException("a GetObject without range cannot be unsatisfiable");
            tail = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (PathNotFoundException)
        {
            return; // closed on a chunk boundary (or never closed): the parts are everything
        }

        _storedTail = tailKey;
        await WriteCoreAsync(tail, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Aborts every upload in progress at or below <paramref name="path"/> and deletes its tails,
    /// so a deleted path (an upload's folder) keeps no parts and nothing can resume there.
    /// </summary>
    public static async Task AbortUploadsAsync(OssClient client, OssKeyLayout layout, string path, CancellationToken cancellationToken)
    {
        var key = layout.KeyOf(path);
        await foreach (var upload in client.ListAllMultipartUploadsAsync(key, path, cancellationToken).ConfigureAwait(false))
        {
            if (upload.Key != key && !upload.Key.StartsWith(key + "/", StringComparison.Ordinal))
            {
                continue; // a sibling sharing the prefix (/a/bc for /a/b)
            }

            await AbortAsync(client, layout, upload, path, cancellationToken).ConfigureAwait(false);
        }
    }

    // Aborts one upload and deletes its tails; one aborted or completed meanwhile is fine.
    private static async Task AbortAsync(OssClient client, OssKeyLayout layout, OssUploadEntry upload, string path, CancellationToken cancellationToken)
    {
        try
        {
            await client.AbortMultipartUploadAsync(upload.Key, upload.UploadId, path, cancellationToken).ConfigureAwait(false);
        }
        catch (StorageDriverException ex) when (ex.InnerException is OssServiceException { Code: "NoSuchUpload" })
        {
            // aborted or completed meanwhile: only its tails may be left
        }

        await DeleteTailsAsync(client, layout, upload.UploadId, path, cancellationToken).ConfigureAwait(false);
    }

    // Older uploads of this key are unreachable (a resume takes the latest): they go with this one.
    private async Task AbortOlderUploadsAsync(CancellationToken cancellationToken)
    {
        foreach (var older in _olderUploads)
        {
            await AbortAsync(_client, _layout, older, TargetPath, cancellationToken).ConfigureAwait(false);
        }
    }

    // A fresh upload id has no tails: skip the listing (one request less per commit).
    private Task DeleteTailsAsync(CancellationToken cancellationToken) =>
        _resumed ? DeleteTailsAsync(_client, _layout, _uploadId, TargetPath, cancellationToken) : Task.CompletedTask;

    private static async Task DeleteTailsAsync(OssClient client, OssKeyLayout layout, string uploadId, string path, CancellationToken cancellationToken)
    {
        var page = await client.ListObjectsAsync(layout.TailPrefix(uploadId), null, null, null, OssClient.MaxListKeys, path, cancellationToken).ConfigureAwait(false);
        if (page.Objects.Count > 0)
        {
            await client.DeleteObjectsAsync(page.Objects.Select(o => o.Key).ToList(), path, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Whether <paramref name="candidate"/>, an upload of the same key, is the one a resume continues rather than <paramref name="kept"/>: the latest initiated (ties: the greater id).</summary>
    internal static bool Supersedes(OssUploadEntry candidate, OssUploadEntry kept) =>
        candidate.Initiated > kept.Initiated || (candidate.Initiated == kept.Initiated && string.CompareOrdinal(candidate.UploadId, kept.UploadId) > 0);

    // The upload a resume continues, and the older ones of the same key (which none can reach).
    private static async Task<(OssUploadEntry? Latest, List<OssUploadEntry> Older)> FindLatestUploadAsync(OssClient client, string key, string path, CancellationToken cancellationToken)
    {
        var uploads = new List<OssUploadEntry>();
        await foreach (var upload in client.ListAllMultipartUploadsAsync(key, path, cancellationToken).ConfigureAwait(false))
        {
            if (upload.Key == key)
            {
                uploads.Add(upload);
            }
        }

        var latest = uploads.Count == 0 ? null : uploads.Aggregate((kept, candidate) => Supersedes(candidate, kept) ? candidate : kept);
        return (latest, uploads.Where(u => u != latest).ToList());
    }

    private static async Task<List<OssPart>> ListPartsAsync(OssClient client, string key, string uploadId, string path, CancellationToken cancellationToken)
    {
        var parts = await client.ListAllPartsAsync(key, uploadId, path, cancellationToken).ConfigureAwait(false);

        // Only whole chunks are parts, but several are in flight at once: a writer that failed can
        // leave part 4 without part 3. The contiguous run from part 1 is what was written; a part
        // after the gap is uploaded again under its number as the writer goes on (the later upload
        // replaces it), and the commit names only the parts it wrote. Refusing the resume instead
        // made such an upload impossible to resume or discard (found by the long soak).
        var contiguous = 0;
        while (contiguous < parts.Count && parts[contiguous].Number == contiguous + 1)
        {
            contiguous++;
        }

        return parts.GetRange(0, contiguous);
    }
}
