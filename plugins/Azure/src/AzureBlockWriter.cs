using Azure;
using Azure.Storage.Blobs.Specialized;
using Registry.Storage.Kit;

namespace Registry.Storage.Drivers.Azure;

/// <summary>
/// The writer: stages uniform blocks of the block blob in parallel (<see cref="ChunkedUploader"/>)
/// and publishes them with one Put Block List on commit, so content is invisible until then.
/// Block ids are deterministic per session (<see cref="BlockIds"/>): closing stages the
/// pending tail as a short block, and a writer opened later — by any process — resumes the
/// session from the service's uncommitted block list. Memory: block size × (concurrency + 1).
/// </summary>
internal sealed class AzureBlockWriter : FileWriter
{
    private readonly AzureContext _context;
    private readonly BlockBlobClient _blob;
    private readonly string _session;
    private readonly ChunkedUploader _uploader;
    private readonly SemaphoreSlim _replaceGate = new(1, 1);
    private readonly bool _resumed;
    private bool _replacedOtherType;
    private long _size;

    /// <summary>Creates a writer for <paramref name="path"/> continuing <paramref name="resumed"/>, or a new session.</summary>
    public AzureBlockWriter(AzureContext context, string path, StagedSession? resumed)
        : base(context.DriverName, path)
    {
        _context = context;
        _blob = context.BlockBlob(path);
        _session = resumed?.Session ?? BlockIds.NewSession(context.Time);
        _resumed = resumed is not null;
        _size = resumed?.Size ?? 0;
        _uploader = new ChunkedUploader(
            (int)context.Parameters.ChunkSize,
            context.Parameters.MaxConcurrency,
            StageAsync,
            resumed?.BlockCount ?? 0);
    }

    /// <inheritdoc />
    public override long Size => _size;

    /// <inheritdoc />
    protected override async ValueTask WriteCoreAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken)
    {
        try
        {
            await _uploader.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
            _size += buffer.Length;
        }
        catch (Exception ex) when (AzureErrors.ShouldMap(ex))
        {
            throw _context.Error("write", TargetPath, ex);
        }
    }

    /// <inheritdoc />
    protected override async Task CommitCoreAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _uploader.CompleteAsync(cancellationToken).ConfigureAwait(false);
            var ids = Enumerable.Range(0, _uploader.NextIndex).Select(i => BlockIds.For(_session, i)).ToArray();
            await ReplacingOtherTypeAsync(() => _blob.CommitBlockListAsync(ids, cancellationToken: cancellationToken), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (AzureErrors.ShouldMap(ex))
        {
            throw _context.Error("commit", TargetPath, ex);
        }
    }

    /// <inheritdoc />
    protected override async Task CancelCoreAsync(CancellationToken cancellationToken)
    {
        _uploader.DiscardPending();
        try
        {
            await _uploader.DrainAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (AzureErrors.ShouldMap(ex))
        {
            // a block that failed to stage is discarded anyway
        }

        if (_uploader.NextIndex == 0 && !_resumed)
        {
            return; // nothing was staged: nothing to discard
        }

        // Uncommitted blocks cannot be deleted without publishing something; a marker block
        // tells later writers this session is dead, and the service drops the blocks on the
        // blob's next commit (or after a week).
        try
        {
            using var marker = new MemoryStream([0], writable: false);
            await ReplacingOtherTypeAsync(() => _blob.StageBlockAsync(BlockIds.CancelFor(_session), marker, cancellationToken: cancellationToken), cancellationToken)
                .ConfigureAwait(false);
        }
        catch (Exception ex) when (AzureErrors.ShouldMap(ex))
        {
            throw _context.Error("cancel", TargetPath, ex);
        }
    }

    /// <inheritdoc />
    protected override async ValueTask CloseCoreAsync()
    {
        try
        {
            // The pending tail becomes a short block so a resumed writer sees every byte.
            await _uploader.CompleteAsync(CancellationToken.None).ConfigureAwait(false);
            if (_uploader.NextIndex == 0)
            {
                // Nothing staged: leave a marker so the (empty) upload still resumes, as a
                // registry does when it opens an upload in one request and writes in the next.
                using var marker = new MemoryStream([0], writable: false);
                await ReplacingOtherTypeAsync(() => _blob.StageBlockAsync(BlockIds.OpenFor(_session), marker), CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (AzureErrors.ShouldMap(ex))
        {
            throw _context.Error("close", TargetPath, ex);
        }
    }

    /// <inheritdoc />
    protected override async ValueTask ReleaseAsync()
    {
        await _uploader.DisposeAsync().ConfigureAwait(false);
        _replaceGate.Dispose();
    }

    private async Task StageAsync(Chunk chunk, CancellationToken cancellationToken)
    {
        if (chunk.Index >= AzureParameters.MaxBlocks)
        {
            throw new StorageDriverException(_context.DriverName,
                $"{TargetPath} exceeds {AzureParameters.MaxBlocks} blocks of {ByteSize.Format(_context.Parameters.ChunkSize)}; raise chunksize")
            { Path = TargetPath };
        }

        var id = BlockIds.For(_session, chunk.Index);
        await ReplacingOtherTypeAsync(async () =>
        {
            using var content = BinaryData.FromBytes(chunk.Data).ToStream();
            return await _blob.StageBlockAsync(id, content, cancellationToken: cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    // A blob of another type (an append blob distribution wrote) at the path refuses blocks;
    // a writer that starts anew replaces it, as distribution's Writer deletes it on open.
    private async Task ReplacingOtherTypeAsync<T>(Func<Task<T>> request, CancellationToken cancellationToken)
    {
        try
        {
            await request().ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (AzureErrors.IsWrongBlobType(ex))
        {
            await _replaceGate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                if (!_replacedOtherType)
                {
                    await _blob.DeleteIfExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                    _replacedOtherType = true;
                }
            }
            finally
            {
                _replaceGate.Release();
            }

            await request().ConfigureAwait(false);
        }
    }
}

/// <summary>An upload session found in the service's uncommitted block list.</summary>
/// <param name="Session">The session id inside the block ids.</param>
/// <param name="BlockCount">Blocks 0 … count-1 are staged.</param>
/// <param name="Size">Their total size.</param>
internal sealed record StagedSession(string Session, int BlockCount, long Size);
