using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Registry.Storage.Drivers.Filesystem;

/// <summary>
/// What the writer needs from libc that .NET does not offer: fsync of a directory, which makes a
/// rename durable (.NET refuses to open a directory as a file handle; on Windows, which has no
/// directory fsync, a no-op), and early writeback of a file being written.
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

    /// <summary>
    /// Starts writing <paramref name="length"/> bytes at <paramref name="offset"/> of an open file
    /// to disk without waiting for it (Linux's <c>sync_file_range</c> with SYNC_FILE_RANGE_WRITE),
    /// so the fsync of a commit finds most of a big file already written. Elsewhere, or when the
    /// kernel refuses, nothing happens: the commit's fsync still makes the file durable.
    /// </summary>
    public static void StartWriteback(SafeFileHandle file, long offset, long length)
    {
        if (OperatingSystem.IsLinux())
        {
            _ = SyncFileRange(file, offset, length, SyncFileRangeWrite);
        }
    }

    private const uint SyncFileRangeWrite = 2;

    // The marshaller keeps the handle alive (AddRef/Release) for the call.
    [LibraryImport("libc", EntryPoint = "sync_file_range")]
    private static partial int SyncFileRange(SafeFileHandle fd, long offset, long nbytes, uint flags);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int FSync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
