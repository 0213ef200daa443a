namespace Registry.Storage.Drivers.Rados.Native;

/// <summary>A librados call failed with a negative errno; the message names the call, the object and the errno.</summary>
public sealed class RadosException : Exception
{
    /// <summary>Creates the error for <paramref name="operation"/> on <paramref name="objectId"/> (if any) returning <paramref name="returnCode"/>.</summary>
    public RadosException(string operation, string? objectId, int returnCode)
        : base(Describe(operation, objectId, returnCode))
    {
        Operation = operation;
        ObjectId = objectId;
        Errno = Math.Abs(returnCode);
        ErrnoName = Native.Errno.Name(returnCode);
    }

    /// <summary>The librados function that failed (for example <c>rados_aio_read</c>).</summary>
    public string Operation { get; }

    /// <summary>The object concerned, when there is one.</summary>
    public string? ObjectId { get; }

    /// <summary>The positive errno value.</summary>
    public int Errno { get; }

    /// <summary>The errno's symbolic name (for example <c>ENOENT</c>).</summary>
    public string ErrnoName { get; }

    /// <summary>Throws for a negative <paramref name="returnCode"/>; returns it otherwise.</summary>
    internal static int Check(int returnCode, string operation, string? objectId = null) =>
        returnCode < 0 ? throw new RadosException(operation, objectId, returnCode) : returnCode;

    private static string Describe(string operation, string? objectId, int returnCode)
    {
        var positive = Math.Abs(returnCode);
        var target = objectId is null ? string.Empty : $" on object '{objectId}'";
        return $"{operation}{target} failed: {Native.Errno.Name(returnCode)} ({positive})";
    }
}
