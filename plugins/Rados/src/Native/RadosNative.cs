using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Registry.Storage.Drivers.Rados.Native;

/// <summary>
/// The raw librados C API (<c>librados.h</c> of Ceph 16+), exactly as declared there. Only the
/// wrappers in this folder call these: they own the handles and turn return codes into
/// <see cref="RadosException"/>. Integer results follow librados: ≥ 0 success, negative errno.
/// </summary>
internal static unsafe partial class RadosNative
{
    /// <summary>The full soname: the unversioned <c>librados.so</c> exists only with librados-dev.</summary>
    public const string Library = "librados.so.2";

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int rados_create2(out nint cluster, string clusterName, string name, ulong flags);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int rados_conf_read_file(RadosClusterHandle cluster, string? path);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int rados_conf_set(RadosClusterHandle cluster, string option, string value);

    [LibraryImport(Library)]
    public static partial int rados_connect(RadosClusterHandle cluster);

    [LibraryImport(Library)]
    public static partial void rados_shutdown(nint cluster);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int rados_ioctx_create(RadosClusterHandle cluster, string poolName, out nint ioctx);

    [LibraryImport(Library)]
    public static partial void rados_ioctx_destroy(nint ioctx);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int rados_write(RadosIoContextHandle io, string oid, byte* buffer, nuint length, ulong offset);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int rados_write_full(RadosIoContextHandle io, string oid, byte* buffer, nuint length);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int rados_append(RadosIoContextHandle io, string oid, byte* buffer, nuint length);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int rados_read(RadosIoContextHandle io, string oid, byte* buffer, nuint length, ulong offset);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int rados_remove(RadosIoContextHandle io, string oid);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int rados_trunc(RadosIoContextHandle io, string oid, ulong size);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int rados_stat(RadosIoContextHandle io, string oid, out ulong size, out long mtime);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int rados_getxattr(RadosIoContextHandle io, string oid, string name, byte* buffer, nuint length);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int rados_setxattr(RadosIoContextHandle io, string oid, string name, byte* buffer, nuint length);

    // ---- asynchronous I/O: a completion calls back on a librados thread ----

    [LibraryImport(Library)]
    public static partial int rados_aio_create_completion2(nint callbackArgument, delegate* unmanaged[Cdecl]<nint, nint, void> onComplete, out nint completion);

    [LibraryImport(Library)]
    public static partial int rados_aio_get_return_value(nint completion);

    [LibraryImport(Library)]
    public static partial ulong rados_aio_get_version(nint completion);

    [LibraryImport(Library)]
    public static partial void rados_aio_release(nint completion);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int rados_aio_write(RadosIoContextHandle io, string oid, nint completion, byte* buffer, nuint length, ulong offset);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int rados_aio_write_full(RadosIoContextHandle io, string oid, nint completion, byte* buffer, nuint length);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int rados_aio_append(RadosIoContextHandle io, string oid, nint completion, byte* buffer, nuint length);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int rados_aio_read(RadosIoContextHandle io, string oid, nint completion, byte* buffer, nuint length, ulong offset);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int rados_aio_remove(RadosIoContextHandle io, string oid, nint completion);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int rados_aio_getxattr(RadosIoContextHandle io, string oid, nint completion, string name, byte* buffer, nuint length);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int rados_aio_setxattr(RadosIoContextHandle io, string oid, nint completion, string name, byte* buffer, nuint length);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int rados_aio_stat(RadosIoContextHandle io, string oid, nint completion, ulong* size, long* mtime);

    // ---- compound operations (omap, xattrs, truncate) ----

    [LibraryImport(Library)]
    public static partial nint rados_create_write_op();

    [LibraryImport(Library)]
    public static partial void rados_release_write_op(nint op);

    [LibraryImport(Library)]
    public static partial void rados_write_op_assert_exists(RadosWriteOpHandle op);

    [LibraryImport(Library)]
    public static partial void rados_write_op_assert_version(RadosWriteOpHandle op, ulong version);

    [LibraryImport(Library)]
    public static partial void rados_write_op_create(RadosWriteOpHandle op, int exclusive, byte* category);

    [LibraryImport(Library)]
    public static partial void rados_write_op_write_full(RadosWriteOpHandle op, byte* buffer, nuint length);

    [LibraryImport(Library)]
    public static partial void rados_write_op_truncate(RadosWriteOpHandle op, ulong offset);

    [LibraryImport(Library)]
    public static partial void rados_write_op_remove(RadosWriteOpHandle op);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial void rados_write_op_setxattr(RadosWriteOpHandle op, string name, byte* value, nuint length);

    [LibraryImport(Library)]
    public static partial void rados_write_op_omap_set2(RadosWriteOpHandle op, byte** keys, byte** values, nuint* keyLengths, nuint* valueLengths, nuint count);

    [LibraryImport(Library)]
    public static partial void rados_write_op_omap_rm_keys2(RadosWriteOpHandle op, byte** keys, nuint* keyLengths, nuint count);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial void rados_write_op_omap_cmp(RadosWriteOpHandle op, string key, byte comparison, byte* value, nuint length, int* result);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int rados_aio_write_op_operate(RadosWriteOpHandle op, RadosIoContextHandle io, nint completion, string oid, long* mtime, int flags);

    [LibraryImport(Library)]
    public static partial nint rados_create_read_op();

    [LibraryImport(Library)]
    public static partial void rados_release_read_op(nint op);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial void rados_read_op_omap_get_vals2(RadosReadOpHandle op, string? startAfter, string? filterPrefix, ulong maxReturn, nint* iterator, byte* more, int* result);

    [LibraryImport(Library)]
    public static partial void rados_read_op_omap_get_vals_by_keys2(RadosReadOpHandle op, byte** keys, nuint count, nuint* keyLengths, nint* iterator, int* result);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int rados_aio_read_op_operate(RadosReadOpHandle op, RadosIoContextHandle io, nint completion, string oid, int flags);

    [LibraryImport(Library)]
    public static partial int rados_omap_get_next2(nint iterator, out byte* key, out byte* value, out nuint keyLength, out nuint valueLength);

    [LibraryImport(Library)]
    public static partial void rados_omap_get_end(nint iterator);

    // ---- object listing ----

    [LibraryImport(Library)]
    public static partial int rados_nobjects_list_open(RadosIoContextHandle io, out nint context);

    [LibraryImport(Library)]
    public static partial int rados_nobjects_list_next2(RadosObjectListHandle context, out byte* entry, out byte* key, out byte* nspace, out nuint entryLength, out nuint keyLength, out nuint nspaceLength);

    [LibraryImport(Library)]
    public static partial void rados_nobjects_list_close(nint context);

    /// <summary><c>LIBRADOS_CMPXATTR_OP_EQ</c>.</summary>
    public const byte ComparisonEqual = 1;
}
