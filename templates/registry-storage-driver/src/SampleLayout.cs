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
    private const string UploadSuffix = "~upload";

    // A concurrent delete may prune a parent folder between our CreateDirectory and the rename or open.
    private const int FolderAttempts = 5;

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
    /// The staging file of the upload to <paramref name="path"/>: <c>~uploads/a/b~upload</c> for
    /// <c>/a/b</c>. Named by the path, so any instance of the driver (another process too) finds
    /// it again to resume; laid out as the tree (the suffix keeps the upload of <c>/a</c> apart
    /// from the folder of those below it), so the uploads at or below a path are one file and
    /// one folder.
    /// </summary>
    public string UploadFileFor(string path) => Path.Combine(Uploads, path[1..] + UploadSuffix);

    /// <summary>A fresh staging file for a whole-content put (<c>~</c> keeps it apart from every upload's name).</summary>
    public string NewTemporaryFile() => Path.Combine(Uploads, "~put-" + Guid.NewGuid().ToString("N"));

    /// <summary>Whether a directory entry is stored content (and not the staging folder).</summary>
    public static bool IsStoredName(string name) => !name.Contains('~', StringComparison.Ordinal);

    /// <summary>
    /// Runs <paramref name="action"/> on <paramref name="file"/> after creating its folder — again
    /// when a concurrent delete pruned the folder in between.
    /// </summary>
    public static T InFolderOf<T>(string file, Func<T> action, string? source = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                Directory.CreateDirectory(Path.GetDirectoryName(file)!);
                return action();
            }
            catch (DirectoryNotFoundException) when (attempt < FolderAttempts)
            {
                // the folder was pruned by a concurrent delete: create it again
            }
            catch (FileNotFoundException) when (attempt < FolderAttempts && source is not null && File.Exists(source))
            {
                // A rename whose target folder was pruned fails with ENOENT, which .NET reports as the
                // source missing when the folder reappeared before it looked: the source is still here.
            }
        }
    }

    /// <summary>
    /// Moves <paramref name="file"/> to <paramref name="path"/> with one rename: atomic on one
    /// file system, so a reader sees the old content or the new, never a mix. Creates the
    /// parent folders (the directories a path implies).
    /// </summary>
    public void Publish(string file, string path)
    {
        var target = Map(path);
        InFolderOf(target, () =>
        {
            File.Move(file, target, overwrite: true);
            return true;
        }, source: file);
    }

    /// <summary>
    /// Removes the upload of <paramref name="path"/> and every upload below it, so a deleted
    /// path (an upload's folder) keeps nothing that could be resumed or take space.
    /// </summary>
    public void DeleteUploads(string path)
    {
        var file = UploadFileFor(path);
        if (File.Exists(file))
        {
            File.Delete(file);
        }

        var below = Path.Combine(Uploads, path[1..]);
        if (Directory.Exists(below))
        {
            Directory.Delete(below, recursive: true);
        }

        PruneUploadFolders(path);
    }

    /// <summary>
    /// The uploads at or below <paramref name="path"/>: the path's own staging file and every one
    /// in the staging folder of the paths below it, with the file's size and last write.
    /// </summary>
    public List<PendingUpload> ListUploads(string path)
    {
        var uploads = new List<PendingUpload>();
        if (path != StoragePath.Root && new FileInfo(UploadFileFor(path)) is { Exists: true } own)
        {
            uploads.Add(new PendingUpload(path, own.Length, own.LastWriteTimeUtc));
        }

        var below = path == StoragePath.Root ? Uploads : Path.Combine(Uploads, path[1..]);
        if (Directory.Exists(below))
        {
            foreach (var file in new DirectoryInfo(below).EnumerateFiles("*" + UploadSuffix, SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(Uploads, file.FullName);
                var uploadPath = "/" + relative[..^UploadSuffix.Length].Replace(Path.DirectorySeparatorChar, '/');
                if (StoragePath.IsValid(uploadPath))
                {
                    uploads.Add(new PendingUpload(uploadPath, file.Length, file.LastWriteTimeUtc));
                }
            }
        }

        return uploads;
    }

    /// <summary>Removes the staging folders left empty above the upload of <paramref name="path"/> (after commit, cancel or delete).</summary>
    public void PruneUploadFolders(string path) => PruneEmptyFolders(Path.GetDirectoryName(UploadFileFor(path))!, Uploads);

    /// <summary>
    /// Removes the folders left empty above <paramref name="path"/>: directories exist only
    /// while they hold something, as in an object store.
    /// </summary>
    public void PruneEmptyParents(string path) => PruneEmptyFolders(Path.GetDirectoryName(Map(path))!, Root);

    // Removes `folder` and then each parent while empty, stopping below `top`.
    private static void PruneEmptyFolders(string folder, string top)
    {
        for (var current = folder; current.Length > top.Length && current.StartsWith(top, StringComparison.Ordinal); current = Path.GetDirectoryName(current)!)
        {
            try
            {
                Directory.Delete(current, recursive: false);
            }
            catch (IOException)
            {
                return; // not empty (or already gone): the folders above are needed too
            }
        }
    }
}
