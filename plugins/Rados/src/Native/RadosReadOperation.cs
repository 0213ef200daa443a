using System.Runtime.InteropServices;
using System.Text;

namespace Registry.Storage.Drivers.Rados.Native;

/// <summary>The entries an omap read returned, filled in when the operation completes.</summary>
internal sealed class OmapPage
{
    /// <summary>Entries in key order.</summary>
    public List<KeyValuePair<string, byte[]>> Entries { get; } = [];

    /// <summary>Whether more entries follow the last one (paged reads only).</summary>
    public bool More { get; internal set; }
}

/// <summary>
/// A compound read (<c>rados_read_op_t</c>) of omap entries. librados allocates each result
/// iterator when the step is added and fills it at completion; this class frees them on
/// dispose whether or not the operation ran.
/// </summary>
/// <remarks>Not thread-safe; execute once, then dispose.</remarks>
internal sealed class RadosReadOperation : IDisposable
{
    private readonly RadosReadOpHandle _op = new();
    private readonly List<Step> _steps = [];

    /// <summary>Up to <paramref name="max"/> entries whose keys sort after <paramref name="startAfter"/>.</summary>
    public unsafe OmapPage OmapGetValues(string? startAfter, int max)
    {
        var step = Step.Allocate();
        _steps.Add(step);
        RadosNative.rados_read_op_omap_get_vals2(_op, startAfter, null, (ulong)max, &step.Slots->Iterator, &step.Slots->More, &step.Slots->Result);
        return step.Page;
    }

    /// <summary>The entries for <paramref name="keys"/> that exist.</summary>
    public unsafe OmapPage OmapGetValuesByKeys(IReadOnlyCollection<string> keys)
    {
        var step = Step.Allocate();
        _steps.Add(step);
        using var native = NativeUtf8Array.FromStrings(keys);
        RadosNative.rados_read_op_omap_get_vals_by_keys2(_op, native.Pointers, (nuint)native.Count, native.Lengths, &step.Slots->Iterator, &step.Slots->Result);
        return step.Page;
    }

    /// <summary>Runs the operation on <paramref name="oid"/> and fills every page; returns the object's version.</summary>
    /// <exception cref="RadosException"><c>ENOENT</c> when the object does not exist.</exception>
    public async Task<ulong> ExecuteAsync(RadosIoContext io, string oid, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(io);
        var result = await RadosAio.RunAsync(io.Handle, "rados_aio_read_op_operate", oid, default,
            c => RadosNative.rados_aio_read_op_operate(_op, io.Handle, c, oid, 0), cancellationToken).ConfigureAwait(false);
        foreach (var step in _steps)
        {
            step.Collect(oid);
        }

        return result.Version;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _op.Dispose();
        foreach (var step in _steps)
        {
            step.Free();
        }

        _steps.Clear();
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct ResultSlots
    {
        public nint Iterator;
        public int Result;
        public byte More;
    }

    private sealed unsafe class Step
    {
        private Step(ResultSlots* slots) => Slots = slots;

        public ResultSlots* Slots { get; private set; }

        public OmapPage Page { get; } = new();

        public static Step Allocate() => new((ResultSlots*)NativeMemory.AllocZeroed((nuint)sizeof(ResultSlots)));

        public void Collect(string oid)
        {
            RadosException.Check(Slots->Result, "rados_read_op_omap_get_vals", oid);
            Page.More = Slots->More != 0;
            while (true)
            {
                RadosException.Check(RadosNative.rados_omap_get_next2(Slots->Iterator, out var key, out var value, out var keyLength, out var valueLength), "rados_omap_get_next2", oid);
                if (key == null)
                {
                    return;
                }

                var bytes = value == null ? [] : new ReadOnlySpan<byte>(value, (int)valueLength).ToArray();
                Page.Entries.Add(new(Encoding.UTF8.GetString(key, (int)keyLength), bytes));
            }
        }

        public void Free()
        {
            if (Slots == null)
            {
                return;
            }

            if (Slots->Iterator != nint.Zero)
            {
                RadosNative.rados_omap_get_end(Slots->Iterator);
            }

            NativeMemory.Free(Slots);
            Slots = null;
        }
    }
}
