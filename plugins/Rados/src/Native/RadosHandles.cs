using System.Runtime.InteropServices;

namespace Registry.Storage.Drivers.Rados.Native;

/// <summary>A connected (or configured) cluster handle; released with <c>rados_shutdown</c>.</summary>
/// <remarks>Thread-safe once connected: librados allows concurrent use of one cluster handle.</remarks>
internal sealed class RadosClusterHandle : SafeHandle
{
    public RadosClusterHandle()
        : base(nint.Zero, ownsHandle: true)
    {
    }

    internal RadosClusterHandle(nint handle)
        : this()
    {
        SetHandle(handle);
    }

    /// <inheritdoc />
    public override bool IsInvalid => handle == nint.Zero;

    /// <inheritdoc />
    protected override bool ReleaseHandle()
    {
        RadosNative.rados_shutdown(handle);
        return true;
    }
}

/// <summary>
/// An I/O context on one pool; released with <c>rados_ioctx_destroy</c>. It holds a reference
/// on its cluster handle so the cluster cannot be shut down underneath it.
/// </summary>
/// <remarks>Thread-safe for I/O: librados serialises concurrent operations on one context.</remarks>
internal sealed class RadosIoContextHandle : SafeHandle
{
    private readonly RadosClusterHandle? _cluster;

    public RadosIoContextHandle()
        : base(nint.Zero, ownsHandle: true)
    {
    }

    internal RadosIoContextHandle(nint handle, RadosClusterHandle cluster)
        : this()
    {
        var added = false;
        cluster.DangerousAddRef(ref added);
        _cluster = cluster;
        SetHandle(handle);
    }

    /// <inheritdoc />
    public override bool IsInvalid => handle == nint.Zero;

    /// <inheritdoc />
    protected override bool ReleaseHandle()
    {
        RadosNative.rados_ioctx_destroy(handle);
        _cluster?.DangerousRelease();
        return true;
    }
}

/// <summary>A compound write operation under construction; released with <c>rados_release_write_op</c>. Not thread-safe.</summary>
internal sealed class RadosWriteOpHandle : SafeHandle
{
    public RadosWriteOpHandle()
        : base(nint.Zero, ownsHandle: true)
    {
        SetHandle(RadosNative.rados_create_write_op());
        if (IsInvalid)
        {
            throw new InsufficientMemoryException("rados_create_write_op returned NULL");
        }
    }

    /// <inheritdoc />
    public override bool IsInvalid => handle == nint.Zero;

    /// <inheritdoc />
    protected override bool ReleaseHandle()
    {
        RadosNative.rados_release_write_op(handle);
        return true;
    }
}

/// <summary>A compound read operation under construction; released with <c>rados_release_read_op</c>. Not thread-safe.</summary>
internal sealed class RadosReadOpHandle : SafeHandle
{
    public RadosReadOpHandle()
        : base(nint.Zero, ownsHandle: true)
    {
        SetHandle(RadosNative.rados_create_read_op());
        if (IsInvalid)
        {
            throw new InsufficientMemoryException("rados_create_read_op returned NULL");
        }
    }

    /// <inheritdoc />
    public override bool IsInvalid => handle == nint.Zero;

    /// <inheritdoc />
    protected override bool ReleaseHandle()
    {
        RadosNative.rados_release_read_op(handle);
        return true;
    }
}

/// <summary>An object listing cursor; released with <c>rados_nobjects_list_close</c>. Not thread-safe.</summary>
internal sealed class RadosObjectListHandle : SafeHandle
{
    public RadosObjectListHandle()
        : base(nint.Zero, ownsHandle: true)
    {
    }

    internal RadosObjectListHandle(nint handle)
        : this()
    {
        SetHandle(handle);
    }

    /// <inheritdoc />
    public override bool IsInvalid => handle == nint.Zero;

    /// <inheritdoc />
    protected override bool ReleaseHandle()
    {
        RadosNative.rados_nobjects_list_close(handle);
        return true;
    }
}
