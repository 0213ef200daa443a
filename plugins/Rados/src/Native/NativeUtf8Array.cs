using System.Runtime.InteropServices;
using System.Text;

namespace Registry.Storage.Drivers.Rados.Native;

/// <summary>
/// Byte strings laid out as C arrays (<c>char const* const*</c> plus a length array) for the
/// omap calls; all in one native block, freed on dispose. librados copies them during the call.
/// </summary>
internal sealed unsafe class NativeUtf8Array : IDisposable
{
    private void* _block;

    private NativeUtf8Array(IReadOnlyList<byte[]> items)
    {
        Count = items.Count;
        var dataLength = 0;
        foreach (var item in items)
        {
            dataLength += item.Length + 1;
        }

        var header = Count * (sizeof(byte*) + sizeof(nuint));
        _block = NativeMemory.AllocZeroed((nuint)(header + dataLength + 1));
        Pointers = (byte**)_block;
        Lengths = (nuint*)((byte*)_block + (Count * sizeof(byte*)));
        var cursor = (byte*)_block + header;
        for (var i = 0; i < Count; i++)
        {
            var item = items[i];
            item.CopyTo(new Span<byte>(cursor, item.Length));
            cursor[item.Length] = 0; // NUL-terminated too, for calls that take C strings
            Pointers[i] = cursor;
            Lengths[i] = (nuint)item.Length;
            cursor += item.Length + 1;
        }
    }

    public int Count { get; }

    public byte** Pointers { get; }

    public nuint* Lengths { get; }

    public static NativeUtf8Array FromStrings(IEnumerable<string> values) => new(values.Select(Encoding.UTF8.GetBytes).ToArray());

    public static NativeUtf8Array FromBytes(IEnumerable<byte[]> values) => new(values.ToArray());

    public void Dispose()
    {
        if (_block != null)
        {
            NativeMemory.Free(_block);
            _block = null;
        }
    }
}
