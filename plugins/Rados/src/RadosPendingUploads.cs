using System.Runtime.CompilerServices;
using Registry.Storage.Drivers.Rados.Native;

namespace Registry.Storage.Drivers.Rados;

/// <summary>
/// The uploads writers left (<see cref="IStorageDriver.ListUploadsAsync"/>): the upload entries
/// (<c>~name</c>) in the omap of the path's parent (the path's own) and of every directory below
/// the path, one omap listing per directory; each with the size and time its last Close recorded
/// on stripe 0 (<see cref="RadosFileStore.ReadUploadStateAsync"/>).
/// </summary>
internal static class RadosPendingUploads
{
    public static async IAsyncEnumerable<PendingUpload> ListAsync(RadosDirectoryIndex index, RadosFileStore store, string path, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (path != StoragePath.Root && await index.LookupUploadAsync(path, cancellationToken).ConfigureAwait(false) is { } own)
        {
            yield return await DescribeAsync(store, path, own, cancellationToken).ConfigureAwait(false);
        }

        var directories = new Stack<string>([path]);
        while (directories.TryPop(out var directory))
        {
            foreach (var entry in await EntriesAsync(index, directory, cancellationToken).ConfigureAwait(false))
            {
                var child = StoragePath.Combine(directory, entry.Name);
                if (entry.IsDirectory)
                {
                    directories.Push(child);
                }
                else if (entry.Kind == EntryKind.Upload)
                {
                    yield return await DescribeAsync(store, child, entry, cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }

    // The entries of one directory; none when it does not exist (the path is a file, missing, or was removed meanwhile).
    private static async Task<List<DirectoryEntry>> EntriesAsync(RadosDirectoryIndex index, string directory, CancellationToken cancellationToken)
    {
        var entries = new List<DirectoryEntry>();
        try
        {
            await foreach (var entry in index.ListAsync(directory, cancellationToken).ConfigureAwait(false))
            {
                entries.Add(entry);
            }
        }
        catch (RadosException ex) when (ex.Errno == Errno.ENOENT)
        {
            return [];
        }

        return entries;
    }

    private static async Task<PendingUpload> DescribeAsync(RadosFileStore store, string path, DirectoryEntry upload, CancellationToken cancellationToken)
    {
        var (size, modTime) = await store.ReadUploadStateAsync(upload.FileId, cancellationToken).ConfigureAwait(false);
        return new PendingUpload(path, size, modTime);
    }
}
