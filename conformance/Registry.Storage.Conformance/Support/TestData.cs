namespace Registry.Storage.Conformance;

/// <summary>
/// Random paths and contents shaped like distribution's <c>randomPath</c>,
/// <c>randomFilename</c> and <c>randomContents</c>, plus <c>firstPart</c> and
/// <c>path.Join</c>, for the suite and for third-party driver tests.
/// </summary>
public static class TestData
{
    private const string FilenameChars = "abcdefghijklmnopqrstuvwxyz0123456789";

    /// <summary>
    /// A random absolute path of exactly <paramref name="length"/> characters made of segments
    /// from <see cref="RandomFilename"/> (distribution's <c>randomPath</c>).
    /// </summary>
    public static string RandomPath(int length)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 2);
        var path = "/";
        while (path.Length < length)
        {
            path += RandomFilename(Random.Shared.Next(length - path.Length) + 1);
            var remaining = length - path.Length;
            if (remaining == 1)
            {
                // a trailing '/' would make the path invalid: end with one more name character
                path += RandomFilename(1);
            }
            else if (remaining > 1)
            {
                path += "/";
            }
        }

        return path;
    }

    /// <summary>
    /// A random path of <paramref name="length"/> characters whose first segment is 16 characters,
    /// for tests that run several writers at once and each delete their <see cref="FirstPart"/>
    /// afterwards. <see cref="RandomPath"/> draws the first segment's length too, so two of 32
    /// concurrent writers share a one-character first segment in about one run in 70 and one's
    /// cleanup deletes the other's upload mid-write (distribution's suite has the same race).
    /// </summary>
    public static string RandomPathWithUniqueFirstPart(int length)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 19);
        return "/" + RandomFilename(16) + RandomPath(length - 17);
    }

    /// <summary>
    /// A random name of <paramref name="length"/> characters from <c>[a-z0-9]</c> with
    /// occasional single <c>-</c> separators, never first or last (distribution's <c>randomFilename</c>).
    /// </summary>
    public static string RandomFilename(int length)
    {
        var chars = new char[length];
        var wasSeparator = true;
        for (var i = 0; i < length; i++)
        {
            if (!wasSeparator && i < length - 1 && Random.Shared.Next(4) == 0)
            {
                chars[i] = '-';
                wasSeparator = true;
            }
            else
            {
                chars[i] = FilenameChars[Random.Shared.Next(FilenameChars.Length)];
                wasSeparator = false;
            }
        }

        return new string(chars);
    }

    /// <summary><paramref name="length"/> random bytes (distribution's <c>randomContents</c>).</summary>
    public static byte[] RandomContents(long length)
    {
        var bytes = new byte[length];
        Random.Shared.NextBytes(bytes);
        return bytes;
    }

    /// <summary>The first segment of a path: <c>/a/b/c</c> → <c>/a</c> (distribution's <c>firstPart</c>).</summary>
    public static string FirstPart(string path)
    {
        var trimmed = path.Trim('/');
        if (trimmed.Length == 0)
        {
            return StoragePath.Root;
        }

        var slash = trimmed.IndexOf('/', StringComparison.Ordinal);
        return "/" + (slash < 0 ? trimmed : trimmed[..slash]);
    }

    /// <summary>Joins path pieces with single slashes into an absolute path, like Go's <c>path.Join</c> for rooted paths.</summary>
    public static string Join(params string[] parts)
    {
        var segments = parts.SelectMany(p => p.Split('/', StringSplitOptions.RemoveEmptyEntries));
        return "/" + string.Join('/', segments);
    }
}
