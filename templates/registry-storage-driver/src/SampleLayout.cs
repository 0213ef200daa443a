using System.Security.Cryptography;
using System.Text;
using Registry.Storage;

namespace Sample.StorageDriver;

/// <summary>
/// Where things live on disk. A storage path <c>/a/b</c> is the file <c>&lt;root&gt;/a/b</c>
/// (distribution's layout), so the folder can be inspected and backed up with ordinary tools.
/// Uploads are staged in <c>&lt;root&gt;/~uploads</c>: <c>~</c> is not allowed in a storage
/// path, so that folder can never collide with stored content, and listings skip it.
/// </summary>
internal sealed class SampleLayout
{
    private const string UploadsFolderName = "~uploads";

    // A concurrent delete may prune a parent folder between our CreateDirectory and the rename.
    private const int PublishAttempts = 5;

    public SampleLayout(string root)
    {
        Root = root;
        Uploads = Path.Combine(root, UploadsFolderName);
        Directory.CreateDirectory(Uploads);
    }

    /// <summary>The folder holding everything.</summary>
    public string Root { get; }

    /// <summary>The staging folder of uploads.</summary>
    public string Uploads { get; }

    /// <summary>The file or folder of an (already validated) storage path.</summary>
    public string Map(string path) => path == StoragePath.Root ? Root : Path.Combine(Root, path[1..]);

    /// <summary>
    /// The staging file of the upload to <paramref name="path"/>: named by a hash of the path,
    /// so any instance of the driver (another process too) finds it again to resume.
    /// </summary>
    public string UploadFileFor(string path) =>
        Path.Combine(Uploads, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(path))));

    /// <summary>A fresh staging file for a whole-content put.</summary>
    public string NewTemporaryFile() => Path.Combine(Uploads, "put-" + Guid.NewGuid().ToString("N"));

    /// <summary>Whether a directory entry is stored content (and not the staging folder).</summary>
    public static bool IsStoredName(string name) => !name.Contains('~', StringComparison.Ordinal);

    /// <summary>
    /// Moves <paramref name="file"/> to <paramref name="path"/> with one rename: atomic on one
    /// file system, so a reader sees the old content or the new, never a mix. Creates the
    /// parent folders (the directories a path implies).
    /// </summary>
    public void Publish(string file, string path)
    {
        var target = Map(path);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Move(file, target, overwrite: true);
                return;
            }
            catch (DirectoryNotFoundException) when (attempt < PublishAttempts && File.Exists(file))
            {
                // the parent was pruned by a concurrent delete: create it again
            }
        }
    }

    /// <summary>
    /// Removes the folders left empty above <paramref name="path"/>: directories exist only
    /// while they hold something, as in an object store.
    /// </summary>
    public void PruneEmptyParents(string path)
    {
        for (var parent = StoragePath.Parent(path); parent != StoragePath.Root; parent = StoragePath.Parent(parent))
        {
            try
            {
                Directory.Delete(Map(parent), recursive: false);
            }
            catch (IOException)
            {
                return; // not empty (or already gone): the folders above are needed too
            }
        }
    }
}
