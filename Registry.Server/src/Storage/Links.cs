using System.Text;
using Registry.Server.Layout;
using Registry.Storage;

namespace Registry.Server.Storage;

/// <summary>distribution's link files: the text <c>algorithm:hex</c>, no newline.</summary>
internal static class Links
{
    /// <summary>The digest a link holds, or <see langword="null"/> when there is no link.</summary>
    public static async Task<Digest?> ReadAsync(IStorageDriver driver, string path, CancellationToken cancellationToken)
    {
        byte[] content;
        try
        {
            content = await driver.GetContentAsync(path, cancellationToken);
        }
        catch (PathNotFoundException)
        {
            return null;
        }

        return Digest.ParseStored(Encoding.UTF8.GetString(content), path);
    }

    /// <summary>Writes a link to <paramref name="digest"/> at <paramref name="path"/>.</summary>
    public static Task WriteAsync(IStorageDriver driver, string path, Digest digest, CancellationToken cancellationToken) =>
        driver.PutContentAsync(path, Encoding.UTF8.GetBytes(digest.ToString()), cancellationToken);

    /// <summary>Deletes <paramref name="path"/>; false when it was not there.</summary>
    public static async Task<bool> DeleteAsync(IStorageDriver driver, string path, CancellationToken cancellationToken)
    {
        try
        {
            await driver.DeleteAsync(path, cancellationToken);
            return true;
        }
        catch (PathNotFoundException)
        {
            return false;
        }
    }

    /// <summary>The size of the file at <paramref name="path"/>, or <see langword="null"/> when absent.</summary>
    public static async Task<long?> SizeAsync(IStorageDriver driver, string path, CancellationToken cancellationToken)
    {
        try
        {
            var info = await driver.StatAsync(path, cancellationToken);
            return info.IsDirectory ? null : info.Size;
        }
        catch (PathNotFoundException)
        {
            return null;
        }
    }

    /// <summary>The sorted names of the children of <paramref name="directory"/>, or <see langword="null"/> when it does not exist.</summary>
    public static async Task<List<string>?> ListNamesAsync(IStorageDriver driver, string directory, CancellationToken cancellationToken)
    {
        var names = new List<string>();
        try
        {
            await foreach (var child in driver.ListAsync(directory, cancellationToken))
            {
                names.Add(StoragePath.Name(child));
            }
        }
        catch (PathNotFoundException)
        {
            return null;
        }

        names.Sort(StringComparer.Ordinal);
        return names;
    }
}
