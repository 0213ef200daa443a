namespace Registry.Storage.Drivers.Azure;

/// <summary>
/// Distribution's blob layout: blob name = rootdirectory + path without its leading slash
/// (<c>root/a/b</c> for <c>/a/b</c>), so a container written by distribution's azure driver
/// reads the same through this one.
/// </summary>
internal sealed class AzureKeys
{
    private readonly string _prefix;

    /// <summary>Creates the mapping for <paramref name="rootDirectory"/> (no leading or trailing slash; empty for none).</summary>
    public AzureKeys(string rootDirectory)
    {
        _prefix = rootDirectory.Length == 0 ? "" : rootDirectory + "/";
    }

    /// <summary>The blob name of the file at <paramref name="path"/>.</summary>
    public string BlobName(string path) => _prefix + path.TrimStart('/');

    /// <summary>The name prefix every blob below the directory <paramref name="path"/> has (<c>root/a/</c>; <c>root/</c> for <c>/</c>).</summary>
    public string DirectoryPrefix(string path) => path == StoragePath.Root ? _prefix : _prefix + path.TrimStart('/') + "/";

    /// <summary>The storage path of <paramref name="blobName"/>, or <see langword="null"/> when the name is outside the root or no valid path.</summary>
    public string? PathOf(string blobName)
    {
        if (!blobName.StartsWith(_prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var path = "/" + blobName[_prefix.Length..].TrimEnd('/');
        return StoragePath.IsValid(path) ? path : null;
    }
}
