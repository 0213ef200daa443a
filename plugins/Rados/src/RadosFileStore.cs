using System.Globalization;
using System.Text;
using Registry.Storage.Drivers.Rados.Native;

namespace Registry.Storage.Drivers.Rados;

/// <summary>
/// File content as stripes (see <see cref="RadosLayout"/>). Knows nothing of directories.
/// </summary>
internal sealed class RadosFileStore(RadosIoContext io, RadosLayout layout, int concurrency)
{
    /// <summary>Stripes in flight per writer or reader.</summary>
    public int Concurrency => concurrency;

    /// <summary>Replaces stripe <paramref name="index"/> of <paramref name="fileId"/>.</summary>
    public Task WriteStripeAsync(string fileId, long index, ReadOnlyMemory<byte> data, CancellationToken cancellationToken) =>
        io.WriteFullAsync(layout.StripeObject(fileId, index), data, cancellationToken);

    /// <summary>Reads bytes of one stripe into <paramref name="destination"/>; returns how many it got.</summary>
    public Task<int> ReadStripeAsync(string fileId, long index, long offsetInStripe, Memory<byte> destination, CancellationToken cancellationToken) =>
        io.ReadAsync(layout.StripeObject(fileId, index), destination, (ulong)offsetInStripe, cancellationToken);

    /// <summary>Records size, mtime and stripe size on stripe 0 (creating it for an empty file); the size is what a resumed writer trusts.</summary>
    public Task WriteMetadataAsync(string fileId, long size, DateTimeOffset modTime, int chunkSize, CancellationToken cancellationToken)
    {
        var op = new RadosWriteOperation();
        SetMetadata(op, size, modTime, chunkSize);
        return op.ExecuteAndDisposeAsync(io, layout.StripeObject(fileId, 0), cancellationToken);
    }

    /// <summary>Writes a whole small-or-large content as a new file: stripe 0 with its metadata in one atomic step, the others in parallel.</summary>
    public async Task PutAsync(string fileId, ReadOnlyMemory<byte> content, DateTimeOffset modTime, int chunkSize, CancellationToken cancellationToken)
    {
        var stripes = RadosLayout.StripeCount(content.Length, chunkSize);
        using var slots = new SemaphoreSlim(concurrency);
        var writes = new List<Task>();
        for (long i = 1; i < stripes; i++)
        {
            var data = content.Slice((int)(i * chunkSize), (int)Math.Min(chunkSize, content.Length - (i * chunkSize)));
            var index = i;
            await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
            writes.Add(ReleaseAfter(slots, WriteStripeAsync(fileId, index, data, cancellationToken)));
        }

        using (var first = new RadosWriteOperation())
        {
            first.WriteFull(content.Span[..Math.Min(chunkSize, content.Length)]);
            SetMetadata(first, content.Length, modTime, chunkSize);
            writes.Add(first.ExecuteAsync(io, layout.StripeObject(fileId, 0), cancellationToken));
            await Task.WhenAll(writes).ConfigureAwait(false);
        }
    }

    /// <summary>The size recorded on stripe 0, or <see langword="null"/> when nothing was recorded yet.</summary>
    public Task<long?> ReadSizeAsync(string fileId, CancellationToken cancellationToken) =>
        ReadNumberXattrAsync(fileId, RadosLayout.SizeXattr, cancellationToken);

    /// <summary>
    /// What an upload holds for a listing: the size recorded on stripe 0 (what a resumed writer
    /// starts from; 0 before its first Close) and when it was recorded — before any Close, stripe
    /// 0's own modification time; <see cref="DateTimeOffset.MinValue"/> when there is no stripe 0 yet.
    /// </summary>
    public async Task<(long Size, DateTimeOffset ModTime)> ReadUploadStateAsync(string fileId, CancellationToken cancellationToken)
    {
        var size = await ReadSizeAsync(fileId, cancellationToken).ConfigureAwait(false) ?? 0;
        if (await ReadNumberXattrAsync(fileId, RadosLayout.ModTimeXattr, cancellationToken).ConfigureAwait(false) is { } recorded)
        {
            return (size, DateTimeOffset.FromUnixTimeMilliseconds(recorded));
        }

        try
        {
            return (size, (await io.StatAsync(layout.StripeObject(fileId, 0), cancellationToken).ConfigureAwait(false)).ModTime);
        }
        catch (RadosException ex) when (ex.Errno == Errno.ENOENT)
        {
            return (size, DateTimeOffset.MinValue);
        }
    }

    private async Task<long?> ReadNumberXattrAsync(string fileId, string name, CancellationToken cancellationToken)
    {
        var buffer = new byte[32];
        try
        {
            var length = await io.GetXattrAsync(layout.StripeObject(fileId, 0), name, buffer, cancellationToken).ConfigureAwait(false);
            return long.Parse(Encoding.ASCII.GetString(buffer, 0, length), CultureInfo.InvariantCulture);
        }
        catch (RadosException ex) when (ex.Errno is Errno.ENOENT or Errno.ENODATA)
        {
            return null;
        }
    }

    /// <summary>Removes the stripes of an upload in progress, as many as the size on its stripe 0 says.</summary>
    public async Task RemoveUploadStripesAsync(DirectoryEntry upload, CancellationToken cancellationToken)
    {
        var size = await ReadSizeAsync(upload.FileId, cancellationToken).ConfigureAwait(false) ?? 0;
        await RemoveStripesAsync(upload.FileId, RadosLayout.StripeCount(size, upload.ChunkSize), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Removes stripes 0 to <paramref name="count"/>-1, several at a time; missing ones are fine.</summary>
    public async Task RemoveStripesAsync(string fileId, long count, CancellationToken cancellationToken)
    {
        using var slots = new SemaphoreSlim(concurrency * 2);
        var removals = new List<Task>();
        for (long i = 0; i < Math.Max(1, count); i++)
        {
            await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
            removals.Add(ReleaseAfter(slots, RemoveIfExistsAsync(layout.StripeObject(fileId, i), cancellationToken)));
        }

        await Task.WhenAll(removals).ConfigureAwait(false);
    }

    private async Task RemoveIfExistsAsync(string oid, CancellationToken cancellationToken)
    {
        try
        {
            await io.RemoveAsync(oid, cancellationToken).ConfigureAwait(false);
        }
        catch (RadosException ex) when (ex.Errno == Errno.ENOENT)
        {
            // already gone
        }
    }

    private static void SetMetadata(RadosWriteOperation op, long size, DateTimeOffset modTime, int chunkSize)
    {
        op.SetXattr(RadosLayout.SizeXattr, Ascii(size));
        op.SetXattr(RadosLayout.ModTimeXattr, Ascii(modTime.ToUnixTimeMilliseconds()));
        op.SetXattr(RadosLayout.ChunkXattr, Ascii(chunkSize));
    }

    private static byte[] Ascii(long value) => Encoding.ASCII.GetBytes(value.ToString(CultureInfo.InvariantCulture));

    private static async Task ReleaseAfter(SemaphoreSlim slots, Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        finally
        {
            slots.Release();
        }
    }
}
