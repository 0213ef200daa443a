using System.Buffers;
using Azure;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;

namespace Registry.Storage.Drivers.Azure;

/// <summary>
/// Resumes an upload that distribution's azure driver left as an append blob, the way that
/// driver continues it: 4 MiB Append Block calls conditioned on the append position. Such
/// content is visible as it is appended (it always was); commit only flushes. When a retried
/// append finds its data already there (the first attempt succeeded but timed out), the
/// bytes are compared before they count, as distribution's driver does.
/// </summary>
internal sealed class AzureAppendBlobWriter : FileWriter
{
    /// <summary>Distribution's append chunk, also the service's Append Block limit on older API versions.</summary>
    private const int BlockSize = 4 << 20;

    private readonly AzureContext _context;
    private readonly AppendBlobClient _blob;
    private byte[]? _buffer;
    private int _filled;
    private long _committedLength;

    /// <summary>Creates a writer appending to the append blob at <paramref name="path"/>, now <paramref name="length"/> bytes long.</summary>
    public AzureAppendBlobWriter(AzureContext context, string path, long length)
        : base(context.DriverName, path)
    {
        _context = context;
        _blob = context.AppendBlob(path);
        _committedLength = length;
    }

    /// <inheritdoc />
    public override long Size => _committedLength + _filled;

    /// <inheritdoc />
    protected override async ValueTask WriteCoreAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken)
    {
        while (buffer.Length > 0)
        {
            _buffer ??= ArrayPool<byte>.Shared.Rent(BlockSize);
            var take = Math.Min(buffer.Length, BlockSize - _filled);
            buffer[..take].CopyTo(_buffer.AsMemory(_filled));
            _filled += take;
            buffer = buffer[take..];
            if (_filled == BlockSize)
            {
                await FlushBufferAsync("write", cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <inheritdoc />
    protected override Task CommitCoreAsync(CancellationToken cancellationToken) => FlushBufferAsync("commit", cancellationToken);

    /// <inheritdoc />
    protected override async Task CancelCoreAsync(CancellationToken cancellationToken)
    {
        _filled = 0;
        try
        {
            await _blob.DeleteIfExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (AzureErrors.ShouldMap(ex))
        {
            throw _context.Error("cancel", TargetPath, ex);
        }
    }

    /// <inheritdoc />
    protected override async ValueTask CloseCoreAsync() => await FlushBufferAsync("close", CancellationToken.None).ConfigureAwait(false);

    /// <inheritdoc />
    protected override ValueTask ReleaseAsync()
    {
        if (_buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = null;
        }

        return ValueTask.CompletedTask;
    }

    private async Task FlushBufferAsync(string operation, CancellationToken cancellationToken)
    {
        if (_filled == 0)
        {
            return;
        }

        var data = _buffer.AsMemory(0, _filled);
        try
        {
            using var content = BinaryData.FromBytes(data).ToStream();
            await _blob.AppendBlockAsync(content, new AppendBlobAppendBlockOptions
            {
                Conditions = new AppendBlobRequestConditions { IfAppendPositionEqual = _committedLength },
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.ErrorCode == BlobErrorCode.AppendPositionConditionNotMet.ToString())
        {
            await VerifyAlreadyAppendedAsync(data, ex, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (AzureErrors.ShouldMap(ex))
        {
            throw _context.Error(operation, TargetPath, ex);
        }

        _committedLength += _filled;
        _filled = 0;
    }

    // The position moved: accept it only when exactly our bytes were appended there.
    private async Task VerifyAlreadyAppendedAsync(ReadOnlyMemory<byte> data, RequestFailedException conflict, CancellationToken cancellationToken)
    {
        var properties = await _blob.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        if (properties.Value.ContentLength == _committedLength + data.Length)
        {
            var stored = await _blob.DownloadContentAsync(new BlobDownloadOptions
            {
                Range = new HttpRange(_committedLength, data.Length),
            }, cancellationToken).ConfigureAwait(false);
            if (stored.Value.Content.ToMemory().Span.SequenceEqual(data.Span))
            {
                return;
            }
        }

        throw new StorageDriverException(_context.DriverName,
            $"append to {TargetPath} at offset {_committedLength} conflicted with another writer", conflict)
        { Path = TargetPath };
    }
}
