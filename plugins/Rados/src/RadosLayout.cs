using System.Globalization;
using System.Text;

namespace Registry.Storage.Drivers.Rados;

/// <summary>
/// Where things live in the pool. Every id starts with the root directory prefix, so trees
/// under different roots never share an object:
/// <list type="bullet">
/// <item><c>{root}/dir:{path}</c> — a directory; its omap maps each child name to a <see cref="DirectoryEntry"/>.</item>
/// <item><c>{root}/data:{fileId}.{n}</c> — stripe <c>n</c> of a file's content; stripe 0 also carries the size, mtime and chunk xattrs.</item>
/// <item><c>{root}/upload:{path}</c> — the file id and chunk size of the upload in progress at <c>path</c>.</item>
/// </list>
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

    /// <summary>The record of the upload in progress at <paramref name="path"/>.</summary>
    public string UploadObject(string path) => _prefix + "upload:" + path;

    /// <summary>A new, unique file id.</summary>
    public static string NewFileId() => Guid.NewGuid().ToString("N");

    /// <summary>How many stripes hold <paramref name="size"/> bytes; at least one, since stripe 0 carries the xattrs.</summary>
    public static long StripeCount(long size, int chunkSize) => Math.Max(1, (size + chunkSize - 1) / chunkSize);
}

/// <summary>
/// One child in a directory's omap: a subdirectory (<c>d</c>) or a committed file
/// (<c>f {id} {size} {mtimeMs} {chunk}</c>). Files carry size and mtime so List, Stat and
/// Walk need no second round trip; committed content never changes under an id.
/// </summary>
internal sealed record DirectoryEntry(string Name, bool IsDirectory, string FileId, long Size, DateTimeOffset ModTime, int ChunkSize)
{
    public static DirectoryEntry Directory(string name) => new(name, true, string.Empty, 0, default, 0);

    public static DirectoryEntry File(string name, string fileId, long size, DateTimeOffset modTime, int chunkSize) =>
        new(name, false, fileId, size, modTime, chunkSize);

    public byte[] Encode() => Encoding.ASCII.GetBytes(IsDirectory
        ? "d"
        : string.Create(CultureInfo.InvariantCulture, $"f {FileId} {Size} {ModTime.ToUnixTimeMilliseconds()} {ChunkSize}"));

    /// <exception cref="FormatException">The value is not an entry this driver wrote.</exception>
    public static DirectoryEntry Decode(string name, ReadOnlySpan<byte> value)
    {
        var text = Encoding.ASCII.GetString(value);
        if (text == "d")
        {
            return Directory(name);
        }

        var parts = text.Split(' ');
        if (parts.Length != 5 || parts[0] != "f")
        {
            throw new FormatException($"unrecognised directory entry for '{name}'");
        }

        return File(name, parts[1],
            long.Parse(parts[2], CultureInfo.InvariantCulture),
            DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(parts[3], CultureInfo.InvariantCulture)),
            int.Parse(parts[4], CultureInfo.InvariantCulture));
    }

    public StorageFileInfo ToFileInfo(string path) =>
        IsDirectory ? StorageFileInfo.Directory(path) : StorageFileInfo.File(path, Size, ModTime);
}
