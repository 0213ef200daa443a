using System.Runtime.InteropServices;

namespace Registry.Storage.Drivers.Filesystem;

/// <summary>
/// fsync of a directory, which makes a rename durable. .NET refuses to open a directory as a
/// file handle, so this goes to libc directly; on Windows (no directory fsync) it is a no-op.
/// </summary>
internal static partial class NativeMethods
{
    private const int ReadOnly = 0;

    /// <summary>Flushes the directory entry changes of <paramref name="directory"/> to disk.</summary>
    public static void SyncDirectory(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var fd = Open(directory, ReadOnly);
        if (fd < 0)
        {
            throw new IOException($"cannot open directory for fsync (errno {Marshal.GetLastPInvokeError()})");
        }

        try
        {
            if (FSync(fd) != 0)
            {
                throw new IOException($"fsync of a directory failed (errno {Marshal.GetLastPInvokeError()})");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int FSync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
