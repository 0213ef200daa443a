using System.Buffers;
using System.Text;

namespace Registry.Storage.Drivers.Rados.Native;

/// <summary>
/// I/O on the objects of one pool (<c>rados_ioctx_t</c>): synchronous calls for tools and
/// tests, and <c>…Async</c> calls over librados completions for the driver.
/// </summary>
/// <remarks>
/// Thread-safe: any number of operations may run concurrently on one context. Buffers passed
/// to an async call are pinned until librados completes it.
/// </remarks>
internal sealed class RadosIoContext : IDisposable
{
    internal RadosIoContext(RadosIoContextHandle handle) => Handle = handle;

    internal RadosIoContextHandle Handle { get; }

    /// <inheritdoc />
    public void Dispose() => Handle.Dispose();

    // ---- synchronous ----

    /// <summary>Writes <paramref name="data"/> at <paramref name="offset"/>, creating the object if needed.</summary>
    public unsafe void Write(string oid, ReadOnlySpan<byte> data, ulong offset)
    {
        fixed (byte* p = data)
        {
            RadosException.Check(RadosNative.rados_write(Handle, oid, p, (nuint)data.Length, offset), "rados_write", oid);
        }
    }

    /// <summary>Replaces the object's data with <paramref name="data"/>.</summary>
    public unsafe void WriteFull(string oid, ReadOnlySpan<byte> data)
    {
        fixed (byte* p = data)
        {
            RadosException.Check(RadosNative.rados_write_full(Handle, oid, p, (nuint)data.Length), "rados_write_full", oid);
        }
    }

    /// <summary>Appends <paramref name="data"/> to the object.</summary>
    public unsafe void Append(string oid, ReadOnlySpan<byte> data)
    {
        fixed (byte* p = data)
        {
            RadosException.Check(RadosNative.rados_append(Handle, oid, p, (nuint)data.Length), "rados_append", oid);
        }
    }

    /// <summary>Reads into <paramref name="buffer"/> from <paramref name="offset"/>; returns the bytes read (short at the end of the object).</summary>
    public unsafe int Read(string oid, Span<byte> buffer, ulong offset)
    {
        fixed (byte* p = buffer)
        {
            return RadosException.Check(RadosNative.rados_read(Handle, oid, p, (nuint)buffer.Length, offset), "rados_read", oid);
        }
    }

    /// <summary>Removes the object.</summary>
    public void Remove(string oid) => RadosException.Check(RadosNative.rados_remove(Handle, oid), "rados_remove", oid);

    /// <summary>Resizes the object's data.</summary>
    public void Truncate(string oid, ulong size) => RadosException.Check(RadosNative.rados_trunc(Handle, oid, size), "rados_trunc", oid);

    /// <summary>The object's size and modification time.</summary>
    public (ulong Size, DateTimeOffset ModTime) Stat(string oid)
    {
        RadosException.Check(RadosNative.rados_stat(Handle, oid, out var size, out var mtime), "rados_stat", oid);
        return (size, DateTimeOffset.FromUnixTimeSeconds(mtime));
    }

    /// <summary>Reads an extended attribute into <paramref name="buffer"/>; returns its length (<c>ERANGE</c> when the buffer is too small).</summary>
    public unsafe int GetXattr(string oid, string name, Span<byte> buffer)
    {
        fixed (byte* p = buffer)
        {
            return RadosException.Check(RadosNative.rados_getxattr(Handle, oid, name, p, (nuint)buffer.Length), "rados_getxattr", oid);
        }
    }

    /// <summary>Sets an extended attribute, creating the object if needed.</summary>
    public unsafe void SetXattr(string oid, string name, ReadOnlySpan<byte> value)
    {
        fixed (byte* p = value)
        {
            RadosException.Check(RadosNative.rados_setxattr(Handle, oid, name, p, (nuint)value.Length), "rados_setxattr", oid);
        }
    }

    /// <summary>Lists every object id in the pool (all namespaces of this context's default), in no particular order.</summary>
    public IEnumerable<string> ListObjects()
    {
        RadosException.Check(RadosNative.rados_nobjects_list_open(Handle, out var raw), "rados_nobjects_list_open");
        using var cursor = new RadosObjectListHandle(raw);
        while (true)
        {
            string? entry = Next(cursor);
            if (entry is null)
            {
                yield break;
            }

            yield return entry;
        }
    }

    private static unsafe string? Next(RadosObjectListHandle cursor)
    {
        var rc = RadosNative.rados_nobjects_list_next2(cursor, out var entry, out _, out _, out var length, out _, out _);
        if (rc == -Errno.ENOENT)
        {
            return null;
        }

        RadosException.Check(rc, "rados_nobjects_list_next2");
        return Encoding.UTF8.GetString(entry, (int)length);
    }

    // ---- asynchronous ----

    /// <summary>Writes <paramref name="data"/> at <paramref name="offset"/>.</summary>
    public unsafe Task WriteAsync(string oid, ReadOnlyMemory<byte> data, ulong offset, CancellationToken cancellationToken)
    {
        var pin = data.Pin();
        var p = (nint)pin.Pointer;
        return RadosAio.RunAsync(Handle, "rados_aio_write", oid, pin,
            c => RadosNative.rados_aio_write(Handle, oid, c, (byte*)p, (nuint)data.Length, offset), cancellationToken);
    }

    /// <summary>Replaces the object's data with <paramref name="data"/> (one stripe of a file).</summary>
    public unsafe Task WriteFullAsync(string oid, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        var pin = data.Pin();
        var p = (nint)pin.Pointer;
        return RadosAio.RunAsync(Handle, "rados_aio_write_full", oid, pin,
            c => RadosNative.rados_aio_write_full(Handle, oid, c, (byte*)p, (nuint)data.Length), cancellationToken);
    }

    /// <summary>Appends <paramref name="data"/>.</summary>
    public unsafe Task AppendAsync(string oid, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        var pin = data.Pin();
        var p = (nint)pin.Pointer;
        return RadosAio.RunAsync(Handle, "rados_aio_append", oid, pin,
            c => RadosNative.rados_aio_append(Handle, oid, c, (byte*)p, (nuint)data.Length), cancellationToken);
    }

    /// <summary>Reads into <paramref name="buffer"/> from <paramref name="offset"/>; returns the bytes read.</summary>
    public async Task<int> ReadAsync(string oid, Memory<byte> buffer, ulong offset, CancellationToken cancellationToken) =>
        (await StartRead(oid, buffer, offset, cancellationToken).ConfigureAwait(false)).ReturnValue;

    private unsafe Task<AioResult> StartRead(string oid, Memory<byte> buffer, ulong offset, CancellationToken cancellationToken)
    {
        var pin = buffer.Pin();
        var p = (nint)pin.Pointer;
        return RadosAio.RunAsync(Handle, "rados_aio_read", oid, pin,
            c => RadosNative.rados_aio_read(Handle, oid, c, (byte*)p, (nuint)buffer.Length, offset), cancellationToken);
    }

    /// <summary>Removes the object.</summary>
    public Task RemoveAsync(string oid, CancellationToken cancellationToken) =>
        RadosAio.RunAsync(Handle, "rados_aio_remove", oid, default, c => RadosNative.rados_aio_remove(Handle, oid, c), cancellationToken);

    /// <summary>Resizes the object's data (a compound write op: librados has no <c>rados_aio_trunc</c>).</summary>
    public Task TruncateAsync(string oid, ulong size, CancellationToken cancellationToken)
    {
        var op = new RadosWriteOperation();
        op.Truncate(size);
        return op.ExecuteAndDisposeAsync(this, oid, cancellationToken);
    }

    /// <summary>The object's size and modification time.</summary>
    public async Task<(ulong Size, DateTimeOffset ModTime)> StatAsync(string oid, CancellationToken cancellationToken)
    {
        // Out-parameters written by librados at completion: a pinned array outlives the call.
        var slots = new long[2];
        await StartStat(oid, slots, cancellationToken).ConfigureAwait(false);
        return ((ulong)slots[0], DateTimeOffset.FromUnixTimeSeconds(slots[1]));
    }

    private unsafe Task<AioResult> StartStat(string oid, long[] slots, CancellationToken cancellationToken)
    {
        var pin = slots.AsMemory().Pin();
        var p = (nint)pin.Pointer;
        return RadosAio.RunAsync(Handle, "rados_aio_stat", oid, pin,
            c => RadosNative.rados_aio_stat(Handle, oid, c, (ulong*)p, (long*)p + 1), cancellationToken);
    }

    /// <summary>Reads an extended attribute into <paramref name="buffer"/>; returns its length.</summary>
    public async Task<int> GetXattrAsync(string oid, string name, Memory<byte> buffer, CancellationToken cancellationToken) =>
        (await StartGetXattr(oid, name, buffer, cancellationToken).ConfigureAwait(false)).ReturnValue;

    private unsafe Task<AioResult> StartGetXattr(string oid, string name, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var pin = buffer.Pin();
        var p = (nint)pin.Pointer;
        return RadosAio.RunAsync(Handle, "rados_aio_getxattr", oid, pin,
            c => RadosNative.rados_aio_getxattr(Handle, oid, c, name, (byte*)p, (nuint)buffer.Length), cancellationToken);
    }

    /// <summary>Sets an extended attribute.</summary>
    public unsafe Task SetXattrAsync(string oid, string name, ReadOnlyMemory<byte> value, CancellationToken cancellationToken)
    {
        var pin = value.Pin();
        var p = (nint)pin.Pointer;
        return RadosAio.RunAsync(Handle, "rados_aio_setxattr", oid, pin,
            c => RadosNative.rados_aio_setxattr(Handle, oid, c, name, (byte*)p, (nuint)value.Length), cancellationToken);
    }

    /// <summary>Sets omap entries (creating the object if needed).</summary>
    public Task OmapSetAsync(string oid, IReadOnlyDictionary<string, byte[]> entries, CancellationToken cancellationToken)
    {
        var op = new RadosWriteOperation();
        op.OmapSet(entries);
        return op.ExecuteAndDisposeAsync(this, oid, cancellationToken);
    }

    /// <summary>Removes omap keys (absent keys are ignored; the object must exist).</summary>
    public Task OmapRemoveAsync(string oid, IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        var op = new RadosWriteOperation();
        op.OmapRemove(keys);
        return op.ExecuteAndDisposeAsync(this, oid, cancellationToken);
    }

    /// <summary>Up to <paramref name="max"/> omap entries whose keys sort after <paramref name="startAfter"/>, in key order, and whether more follow.</summary>
    /// <remarks>Also returns the object's version, so a later write can be guarded with <see cref="RadosWriteOperation.AssertVersion"/>.</remarks>
    public async Task<(IReadOnlyList<KeyValuePair<string, byte[]>> Entries, bool More, ulong Version)> OmapGetAsync(string oid, string? startAfter, int max, CancellationToken cancellationToken)
    {
        using var op = new RadosReadOperation();
        var page = op.OmapGetValues(startAfter, max);
        var version = await op.ExecuteAsync(this, oid, cancellationToken).ConfigureAwait(false);
        return (page.Entries, page.More, version);
    }

    /// <summary>The omap entries for <paramref name="keys"/> that exist.</summary>
    public async Task<IReadOnlyList<KeyValuePair<string, byte[]>>> OmapGetByKeysAsync(string oid, IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        using var op = new RadosReadOperation();
        var page = op.OmapGetValuesByKeys(keys);
        await op.ExecuteAsync(this, oid, cancellationToken).ConfigureAwait(false);
        return page.Entries;
    }
}
