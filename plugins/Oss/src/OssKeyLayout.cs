namespace Registry.Storage.Drivers.Oss;

/// <summary>
/// Distribution's key layout: object key = rootdirectory + path without its leading slash
/// (<c>/docker/registry/v2/...</c> under root <c>reg</c> is <c>reg/docker/registry/v2/...</c>).
/// Also where resumable writers keep their unflushed tails: beside the root, never below it,
/// so no listing of the root sees them.
/// </summary>
internal sealed class OssKeyLayout(string rootDirectory)
{
    /// <summary>The folder name of writer tails (see <see cref="OssWriter"/>).</summary>
    public const string TailsFolder = ".regstore-tails";

    /// <summary>The prefix every key under the root starts with: <c>root/</c>, or empty at the bucket root.</summary>
    public string RootPrefix { get; } = rootDirectory.Length == 0 ? "" : rootDirectory + "/";

    /// <summary>
    /// Where writer tails live: <c>root.regstore-tails/</c> beside the root — or, at the bucket
    /// root, <c>.regstore-tails/</c>, which listings then hide.
    /// </summary>
    public string TailsPrefix { get; } = (rootDirectory.Length == 0 ? "" : rootDirectory) + TailsFolder + "/";

    /// <summary>The key of a file path.</summary>
    public string KeyOf(string path) => RootPrefix + path.TrimStart('/');

    /// <summary>The prefix of everything below a directory path (<c>/</c> included).</summary>
    public string DirectoryPrefix(string path) => path == StoragePath.Root ? RootPrefix : KeyOf(path) + "/";

    /// <summary>The storage path of a key under the root.</summary>
    public string PathOf(string key) => "/" + key[RootPrefix.Length..];

    /// <summary>Whether a listed key is not a file of the tree: a tail (at the bucket root) or a folder marker some tool created.</summary>
    public bool IsHidden(string key) =>
        key.EndsWith('/') || (RootPrefix.Length == 0 && key.StartsWith(TailsPrefix, StringComparison.Ordinal)) || !StoragePath.IsValid(PathOf(key));

    /// <summary>Whether a listed common prefix is hidden (the tails folder at the bucket root).</summary>
    public bool IsHiddenPrefix(string prefix) => RootPrefix.Length == 0 && prefix == TailsPrefix;

    /// <summary>The tail object of an upload that had <paramref name="partCount"/> parts when it was closed.</summary>
    public string TailKey(string uploadId, int partCount) => $"{TailsPrefix}{uploadId}/{partCount}";

    /// <summary>The prefix of every tail of an upload.</summary>
    public string TailPrefix(string uploadId) => $"{TailsPrefix}{uploadId}/";
}
