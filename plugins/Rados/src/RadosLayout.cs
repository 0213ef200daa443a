using System.Globalization;
using System.Text;

namespace Registry.Storage.Drivers.Rados;

/// <summary>
/// Where things live in the pool. Every id starts with the root directory prefix, so trees
/// under different roots never share an object:
/// <list type="bullet">
/// <item><c>{root}/dir:{path}</c> — a directory; its omap maps each child name to a <see cref="DirectoryEntry"/>.</item>
/// <item><c>{root}/data:{fileId}.{n}</c> — stripe <c>n</c> of a file's content; stripe 0 also carries the size, mtime and chunk xattrs.</item>
/// </list>
/// An upload in progress is recorded in its directory's omap too, under <c>~{name}</c>
/// (<c>~</c> is not allowed in path names, so it never collides, and sorts after every name):
/// deleting a directory finds and removes abandoned uploads with everything else.
/// A file id is fresh for every write, so committed content is never modified in place.
/// </summary>
internal sealed class RadosLayout
{
    /// <summary>Xattr on stripe 0: the logical size in bytes — the truth for resuming an upload.</summary>
    public const string SizeXattr = "size";

    /// <summary>Xattr on stripe 0: the modification time in Unix milliseconds.</summary>
    public const string ModTimeXattr = "mtime";

    /// <summary>Xattr on stripe 0: the stripe size the file was written with.</summary>
    public const string ChunkXattr = "chunk";

    private readonly string _prefix;

    public RadosLayout(string rootDirectory) => _prefix = rootDirectory.Length == 0 ? string.Empty : rootDirectory + "/";

    /// <summary>The object holding the entries of directory <paramref name="path"/> (<c>/</c> included).</summary>
    public string DirectoryObject(string path) => _prefix + "dir:" + path;

    /// <summary>Stripe <paramref name="index"/> of file <paramref name="fileId"/>.</summary>
    public string StripeObject(string fileId, long index) => string.Create(CultureInfo.InvariantCulture, $"{_prefix}data:{fileId}.{index}");

    /// <summary>A new, unique file id.</summary>
    public static string NewFileId() => Guid.NewGuid().ToString("N");

    /// <summary>How many stripes hold <paramref name="size"/> bytes; at least one, since stripe 0 carries the xattrs.</summary>
    public static long StripeCount(long size, int chunkSize) => Math.Max(1, (size + chunkSize - 1) / chunkSize);
}

/// <summary>What a directory omap entry stands for.</summary>
internal enum EntryKind
{
    /// <summary>A subdirectory: <c>d</c>.</summary>
    Directory,

    /// <summary>A committed file: <c>f {id} {size} {mtimeMs} {chunk}</c>.</summary>
    File,

    /// <summary>An upload in progress (key <c>~{name}</c>): <c>u {id} {chunk}</c>; its size is the xattr on stripe 0.</summary>
    Upload,
}

/// <summary>
/// One entry in a directory's omap. Files carry size and mtime so List, Stat and Walk need no
/// second round trip; committed content never changes under an id.
/// </summary>
internal sealed record DirectoryEntry(string Name, EntryKind Kind, string FileId, long Size, DateTimeOffset ModTime, int ChunkSize)
{
    private const string UploadKeyPrefix = "~";

    public bool IsDirectory => Kind == EntryKind.Directory;

    public bool IsFile => Kind == EntryKind.File;

    /// <summary>The omap key: the name, or <c>~name</c> for an upload.</summary>
    public string Key => Kind == EntryKind.Upload ? UploadKey(Name) : Name;

    public static string UploadKey(string name) => UploadKeyPrefix + name;

    public static DirectoryEntry Directory(string name) => new(name, EntryKind.Directory, string.Empty, 0, default, 0);

    public static DirectoryEntry File(string name, string fileId, long size, DateTimeOffset modTime, int chunkSize) =>
        new(name, EntryKind.File, fileId, size, modTime, chunkSize);

    public static DirectoryEntry Upload(string name, string fileId, int chunkSize) =>
        new(name, EntryKind.Upload, fileId, 0, default, chunkSize);

    public byte[] Encode() => Encoding.ASCII.GetBytes(Kind switch
    {
        EntryKind.Directory => "d",
        EntryKind.File => string.Create(CultureInfo.InvariantCulture, $"f {FileId} {Size} {ModTime.ToUnixTimeMilliseconds()} {ChunkSize}"),
        _ => string.Create(CultureInfo.InvariantCulture, $"u {FileId} {ChunkSize}"),
    });

    /// <exception cref="FormatException">The value is not an entry this driver wrote.</exception>
    public static DirectoryEntry Decode(string key, ReadOnlySpan<byte> value)
    {
        var text = Encoding.ASCII.GetString(value);
        var parts = text.Split(' ');
        return parts switch
        {
            ["d"] => Directory(key),
            ["f", var id, var size, var mtime, var chunk] => File(key, id,
                long.Parse(size, CultureInfo.InvariantCulture),
                DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(mtime, CultureInfo.InvariantCulture)),
                int.Parse(chunk, CultureInfo.InvariantCulture)),
            ["u", var id, var chunk] when key.StartsWith(UploadKeyPrefix, StringComparison.Ordinal) =>
                Upload(key[UploadKeyPrefix.Length..], id, int.Parse(chunk, CultureInfo.InvariantCulture)),
            _ => throw new FormatException($"unrecognised directory entry for '{key}'"),
        };
    }

    public StorageFileInfo ToFileInfo(string path) =>
        IsDirectory ? StorageFileInfo.Directory(path) : StorageFileInfo.File(path, Size, ModTime);
}
