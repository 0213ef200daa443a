namespace Registry.Storage;

/// <summary>
/// The path rule: distribution's <c>^(/[A-Za-z0-9._-]+)+$</c>, plus <c>/</c> where a
/// directory is allowed, and — stricter than distribution — no <c>.</c> or <c>..</c>
/// segment, so no driver can be steered outside its root.
/// </summary>
public static class StoragePath
{
    /// <summary>The root directory.</summary>
    public const string Root = "/";

    /// <summary>Orders walk entries as a walk visits them (see <see cref="WalkKey"/>), without building the keys.</summary>
    public static IComparer<StorageFileInfo> WalkOrder { get; } = Comparer<StorageFileInfo>.Create((a, b) =>
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return CompareWalkKeys(a.Path, a.IsDirectory, b.Path, b.IsDirectory);
    });

    /// <summary>Whether <paramref name="path"/> follows the rule; <c>/</c> counts only with <paramref name="allowRoot"/>.</summary>
    public static bool IsValid(string? path, bool allowRoot = false) => Explain(path, allowRoot) is null;

    /// <summary>Throws <see cref="InvalidPathException"/> naming the driver, the path and the rule when <paramref name="path"/> is invalid.</summary>
    public static void Validate(string driverName, string? path, bool allowRoot = false)
    {
        if (Explain(path, allowRoot) is { } reason)
        {
            throw new InvalidPathException(driverName, path ?? "(null)", reason);
        }
    }

    /// <summary>Why <paramref name="path"/> is invalid, or <see langword="null"/> when it is valid.</summary>
    public static string? Explain(string? path, bool allowRoot = false)
    {
        if (string.IsNullOrEmpty(path))
        {
            return "a path must not be empty";
        }

        if (path == Root)
        {
            return allowRoot ? null : "the root directory is not allowed here; expected a file path such as /a/b";
        }

        if (path[0] != '/')
        {
            return "a path must start with '/'";
        }

        var segmentStart = 1;
        for (var i = 1; i <= path.Length; i++)
        {
            if (i == path.Length || path[i] == '/')
            {
                var length = i - segmentStart;
                if (length == 0)
                {
                    return i == path.Length ? "a path must not end with '/'" : "a path must not contain an empty segment ('//')";
                }

                if (path[segmentStart] == '.' && (length == 1 || (length == 2 && path[segmentStart + 1] == '.')))
                {
                    return "a path must not contain '.' or '..' segments";
                }

                segmentStart = i + 1;
                continue;
            }

            if (!IsAllowed(path[i]))
            {
                return $"a path may contain only A-Z, a-z, 0-9, '.', '_', '-' and '/' (found '{Printable(path[i])}' at {i})";
            }
        }

        return null;
    }

    /// <summary>The parent directory: <c>/a/b</c> → <c>/a</c>, <c>/a</c> → <c>/</c>.</summary>
    public static string Parent(string path)
    {
        var slash = path.LastIndexOf('/');
        return slash <= 0 ? Root : path[..slash];
    }

    /// <summary>The last segment: <c>/a/b</c> → <c>b</c>; empty for the root.</summary>
    public static string Name(string path) => path[(path.LastIndexOf('/') + 1)..];

    /// <summary>Joins a directory and a child name.</summary>
    public static string Combine(string directory, string name) =>
        directory == Root ? Root + name : directory + "/" + name;

    /// <summary>Whether <paramref name="path"/> is <paramref name="ancestor"/> or below it (<c>/a/bc</c> is not below <c>/a/b</c>).</summary>
    public static bool IsSameOrDescendant(string path, string ancestor) =>
        ancestor == Root
        || path == ancestor
        || (path.Length > ancestor.Length && path[ancestor.Length] == '/' && path.StartsWith(ancestor, StringComparison.Ordinal));

    /// <summary>
    /// The key a walk is ordered by: the path for a file, the path plus <c>/</c> for a
    /// directory, compared ordinally. This is the order of an object store's flat listing
    /// with each directory placed just before its first descendant, so native walks need no
    /// buffering and every subtree is contiguous. A start-after hint is compared with these
    /// keys: an entry is reported when its key sorts after the hint.
    /// </summary>
    public static string WalkKey(StorageFileInfo entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return entry.IsDirectory ? entry.Path + "/" : entry.Path;
    }

    /// <summary>
    /// Compares the walk keys (<see cref="WalkKey"/>) of two entries ordinally without building
    /// them: as if each directory's path had a trailing <c>/</c>. So <c>/a-b</c>, <c>/a.c</c> and
    /// <c>/a b</c> (characters below <c>/</c>) sort before the directory <c>/a</c>, which sorts
    /// before <c>/a0</c>. A start-after hint compares as a file: an entry comes after
    /// <c>hint</c> when <c>CompareWalkKeys(path, isDirectory, hint, false) &gt; 0</c>.
    /// </summary>
    /// <returns>Less than zero, zero or more than zero, as <see cref="string.CompareOrdinal(string, string)"/> of the two keys.</returns>
    public static int CompareWalkKeys(string pathA, bool isDirectoryA, string pathB, bool isDirectoryB)
    {
        ArgumentNullException.ThrowIfNull(pathA);
        ArgumentNullException.ThrowIfNull(pathB);
        var common = Math.Min(pathA.Length, pathB.Length);
        var order = string.CompareOrdinal(pathA, 0, pathB, 0, common);
        if (order != 0)
        {
            return order;
        }

        // Equal up to the shorter path: what follows in each key is the rest of the longer path,
        // a directory's '/', or the end (-1, which sorts first). The shorter key ends within two steps.
        for (var i = common; ; i++)
        {
            var a = KeyCharAt(pathA, isDirectoryA, i);
            var b = KeyCharAt(pathB, isDirectoryB, i);
            if (a != b || a < 0)
            {
                return a - b;
            }
        }
    }

    /// <summary>Whether the entry with walk key <paramref name="walkKey"/> comes after <paramref name="startAfterHint"/> (always, when there is no hint).</summary>
    public static bool IsAfterHint(string walkKey, string? startAfterHint) =>
        string.IsNullOrEmpty(startAfterHint) || string.CompareOrdinal(walkKey, startAfterHint) > 0;

    // The character at `index` of a walk key, or -1 past its end.
    private static int KeyCharAt(string path, bool isDirectory, int index) =>
        index < path.Length ? path[index] : index == path.Length && isDirectory ? '/' : -1;

    private static bool IsAllowed(char c) =>
        c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '.' or '_' or '-';

    private static string Printable(char c) => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString();
}
