using Registry.Server.Layout;
using Registry.Storage;

namespace Registry.Server.Maintenance;

/// <summary>A blob in the global store: <c>blobs/&lt;alg&gt;/&lt;xx&gt;/&lt;hex&gt;/data</c>.</summary>
internal sealed record BlobEntry(Digest Digest, long Size, DateTimeOffset ModTime);

/// <summary>
/// One native walk of <c>blobs/</c>, as distribution's <c>blobStore.Enumerate</c>: every <c>data</c>
/// file whose directory names a digest. Other files are returned as unrecognised.
/// </summary>
internal static class BlobScanner
{
    private static readonly string Prefix = RegistryPaths.Blobs + "/";

    public static async Task<(Dictionary<Digest, BlobEntry> Blobs, List<string> Unrecognised)> ScanAsync(IStorageDriver driver, CancellationToken cancellationToken)
    {
        var blobs = new Dictionary<Digest, BlobEntry>();
        var unrecognised = new List<string>();
        try
        {
            await driver.WalkAsync(RegistryPaths.Blobs, (entry, _) =>
            {
                if (!entry.IsDirectory)
                {
                    if (TryParse(entry.Path, out var digest))
                    {
                        blobs[digest] = new BlobEntry(digest, entry.Size, entry.ModTime);
                    }
                    else
                    {
                        unrecognised.Add(entry.Path);
                    }
                }

                return ValueTask.FromResult(WalkDecision.Continue);
            }, null, cancellationToken);
        }
        catch (PathNotFoundException)
        {
            // an empty registry
        }

        return (blobs, unrecognised);
    }

    /// <summary>The digest a blob data path names (its two-character fan-out must match).</summary>
    public static bool TryParse(string path, out Digest digest)
    {
        digest = default;
        if (!path.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var s = path[Prefix.Length..].Split('/');
        return s.Length == 4 && s[3] == "data" && s[2].Length > 2 && s[1] == s[2][..2]
            && Digest.TryParse(s[0] + ":" + s[2], out digest, out _);
    }
}
