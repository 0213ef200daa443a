using System.Runtime.InteropServices;

namespace Registry.Storage.Drivers.Rados.Native;

/// <summary>
/// A compound write (<c>rados_write_op_t</c>): every step applies atomically to one object
/// or none does. Used for directory entries (omap set/remove with a compare guard) and for
/// data plus xattrs in one round trip.
/// </summary>
/// <remarks>Not thread-safe; execute once, then dispose.</remarks>
internal sealed class RadosWriteOperation : IDisposable
{
    private readonly RadosWriteOpHandle _op = new();
    private readonly List<nint> _resultSlots = [];

    /// <summary>Fails the whole operation with <c>ENOENT</c> unless the object exists.</summary>
    public void AssertExists() => RadosNative.rados_write_op_assert_exists(_op);

    /// <summary>Fails the whole operation (<c>ERANGE</c> or <c>EOVERFLOW</c>) unless the object is still at <paramref name="version"/>: nothing changed it since it was read.</summary>
    public void AssertVersion(ulong version) => RadosNative.rados_write_op_assert_version(_op, version);

    /// <summary>Creates the object; with <paramref name="exclusive"/>, fails with <c>EEXIST</c> if it exists.</summary>
    public unsafe void Create(bool exclusive) => RadosNative.rados_write_op_create(_op, exclusive ? 1 : 0, null);

    /// <summary>Replaces the data.</summary>
    public unsafe void WriteFull(ReadOnlySpan<byte> data)
    {
        fixed (byte* p = data)
        {
            RadosNative.rados_write_op_write_full(_op, p, (nuint)data.Length);
        }
    }

    /// <summary>Resizes the data.</summary>
    public void Truncate(ulong size) => RadosNative.rados_write_op_truncate(_op, size);

    /// <summary>Removes the object.</summary>
    public void Remove() => RadosNative.rados_write_op_remove(_op);

    /// <summary>Sets an extended attribute.</summary>
    public unsafe void SetXattr(string name, ReadOnlySpan<byte> value)
    {
        fixed (byte* p = value)
        {
            RadosNative.rados_write_op_setxattr(_op, name, p, (nuint)value.Length);
        }
    }

    /// <summary>Sets omap entries.</summary>
    public unsafe void OmapSet(IReadOnlyDictionary<string, byte[]> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        using var keys = NativeUtf8Array.FromStrings(entries.Keys);
        using var values = NativeUtf8Array.FromBytes(entries.Values);
        RadosNative.rados_write_op_omap_set2(_op, keys.Pointers, values.Pointers, keys.Lengths, values.Lengths, (nuint)keys.Count);
    }

    /// <summary>Removes omap keys.</summary>
    public unsafe void OmapRemove(IReadOnlyCollection<string> keys)
    {
        using var native = NativeUtf8Array.FromStrings(keys);
        RadosNative.rados_write_op_omap_rm_keys2(_op, native.Pointers, native.Lengths, (nuint)native.Count);
    }

    /// <summary>Fails the whole operation with <c>ECANCELED</c> unless omap key <paramref name="key"/> holds exactly <paramref name="value"/>.</summary>
    public unsafe void OmapCompareEqual(string key, ReadOnlySpan<byte> value)
    {
        // librados writes the comparison's own result here at completion: native memory outlives the call.
        var slot = (nint)NativeMemory.AllocZeroed((nuint)sizeof(int));
        _resultSlots.Add(slot);
        fixed (byte* p = value)
        {
            RadosNative.rados_write_op_omap_cmp(_op, key, RadosNative.ComparisonEqual, p, (nuint)value.Length, (int*)slot);
        }
    }

    /// <summary>Runs the operation on <paramref name="oid"/>.</summary>
    public unsafe Task ExecuteAsync(RadosIoContext io, string oid, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(io);
        return RadosAio.RunAsync(io.Handle, "rados_aio_write_op_operate", oid, default,
            c => RadosNative.rados_aio_write_op_operate(_op, io.Handle, c, oid, null, 0), cancellationToken);
    }

    /// <summary>Runs the operation, then releases it.</summary>
    public async Task ExecuteAndDisposeAsync(RadosIoContext io, string oid, CancellationToken cancellationToken)
    {
        using (this)
        {
            await ExecuteAsync(io, oid, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public unsafe void Dispose()
    {
        _op.Dispose();
        foreach (var slot in _resultSlots)
        {
            NativeMemory.Free((void*)slot);
        }

        _resultSlots.Clear();
    }
}
