using System.Globalization;
using System.Security.Cryptography;

namespace Registry.Storage.Drivers.Swift;

/// <summary>
/// Where things live in the container. Plain objects and manifests sit at
/// <c>{root}/files{path}</c> and segments under <c>{root}/segments/xxx/…</c>, exactly as
/// distribution's swift driver lays them out, so existing containers stay readable. Closed but
/// uncommitted uploads are remembered by a small record at <c>{root}/pending-uploads{path}</c>,
/// outside <c>files</c>, so content is visible only after commit.
/// </summary>
internal sealed class SwiftLayout
{
    private readonly string _base;

    public SwiftLayout(string root)
    {
        _base = root.Length == 0 ? "" : root + "/";
        FilesKey = _base + "files";
        PendingKey = _base + "pending-uploads";
    }

    /// <summary>The object name of the root directory (<c>{root}/files</c>).</summary>
    public string FilesKey { get; }

    private string PendingKey { get; }

    /// <summary>The object name of <paramref name="path"/>: <c>{root}/files/a/b</c>.</summary>
    public string ObjectKey(string path) => path == StoragePath.Root ? FilesKey : FilesKey + path;

    /// <summary>The listing prefix of everything below <paramref name="path"/> (ends with '/', so <c>/a/b</c> never matches <c>/a/bc</c>).</summary>
    public string DirectoryPrefix(string path) => ObjectKey(path) + "/";

    /// <summary>Whether <paramref name="key"/> names a file below the root (not a pseudo-directory marker).</summary>
    public bool IsFileKey(string key) =>
        key.Length > FilesKey.Length + 1 && key.StartsWith(FilesKey + "/", StringComparison.Ordinal) && key[^1] != '/';

    /// <summary>The storage path of the object named <paramref name="key"/> (which must be below <see cref="FilesKey"/>).</summary>
    public string PathOf(string key) => key[FilesKey.Length..].TrimEnd('/');

    /// <summary>The pending-upload record of <paramref name="path"/>.</summary>
    public string PendingUploadKey(string path) => PendingKey + path;

    /// <summary>The storage path whose pending-upload record is <paramref name="key"/> (which must be below the records' folder).</summary>
    public string PathOfPendingUpload(string key) => key[PendingKey.Length..];

    /// <summary>The listing prefix of the pending-upload records below <paramref name="path"/>.</summary>
    public string PendingUploadPrefix(string path) => (path == StoragePath.Root ? PendingKey : PendingKey + path) + "/";

    /// <summary>A fresh, random segment folder, shaped like distribution's: <c>{root}/segments/3hex/37hex</c>.</summary>
    public string NewSegmentPrefix()
    {
        var hex = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20));
        return _base + "segments/" + hex[..3] + "/" + hex[3..];
    }

    /// <summary>Segment <paramref name="number"/> (1-based) of a segment folder, as distribution numbers them.</summary>
    public static string SegmentName(string segmentPrefix, int number) =>
        segmentPrefix + "/" + number.ToString("D16", CultureInfo.InvariantCulture);
}
