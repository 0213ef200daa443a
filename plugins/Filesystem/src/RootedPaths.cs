namespace Registry.Storage.Drivers.Filesystem;

/// <summary>
/// Maps storage paths to files under the root (<c>/a/b</c> → <c>&lt;root&gt;/a/b</c>, distribution's
/// layout) and keeps every access inside the root. Paths are validated by the path rule (no
/// <c>.</c>/<c>..</c>), so lexically they cannot leave the root; what remains are symbolic links
/// planted inside it. Every component below the root that is a link is resolved the way the
/// kernel would (chains, relative targets, <c>..</c> after a link) and the access is refused when
/// the result lies outside the root's own resolved location.
/// </summary>
/// <remarks>
/// The check and the later open are separate system calls: someone who can swap a directory
/// for a link between them is not stopped. That requires write access to the root, which no
/// client of the driver has (every name it creates follows the path rule).
/// </remarks>
internal sealed class RootedPaths
{
    // Linux's MAXSYMLINKS: more links than this in one resolution is a loop.
    private const int MaxLinks = 40;

    private readonly string _driverName;
    private string? _resolvedRoot;

    public RootedPaths(string driverName, string root)
    {
        _driverName = driverName;
        Root = root;
    }

    /// <summary>The configured root folder (absolute, no trailing separator unless it is <c>/</c>).</summary>
    public string Root { get; }

    /// <summary>
    /// The file system path of <paramref name="storagePath"/> (already validated), after checking
    /// that no link on the way leads outside the root. With <paramref name="checkLeaf"/> false the
    /// last component is not followed (for operations that act on a link itself, such as unlink).
    /// </summary>
    /// <exception cref="StorageDriverException">A link on the way resolves outside the root.</exception>
    public string Resolve(string storagePath, bool checkLeaf = true)
    {
        var full = storagePath == StoragePath.Root ? Root : Root.TrimEnd('/') + storagePath;
        var current = Root;
        var segments = storagePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < segments.Length; i++)
        {
            var next = Path.Join(current, segments[i]);
            if (i == segments.Length - 1 && !checkLeaf)
            {
                break;
            }

            if (ReadLink(next) is null)
            {
                current = next;
                continue;
            }

            var resolved = Canonicalize(next);
            if (resolved is null || !IsInsideRoot(resolved))
            {
                var through = "/" + string.Join('/', segments[..(i + 1)]);
                throw new StorageDriverException(_driverName,
                    $"refusing to follow the symbolic link at {through}: it resolves outside the root directory (or loops)")
                { Path = storagePath };
            }

            current = resolved;
        }

        return full;
    }

    /// <summary>Whether the entry at <paramref name="fullPath"/> is a link that resolves outside the root (List and Walk hide those).</summary>
    public bool IsEscapingLink(string fullPath) =>
        ReadLink(fullPath) is not null && (Canonicalize(fullPath) is not { } resolved || !IsInsideRoot(resolved));

    /// <summary>
    /// What is at <paramref name="fullPath"/>, following links (.NET's FileInfo describes a link
    /// itself): a <see cref="FileInfo"/>, a <see cref="DirectoryInfo"/>, or <see langword="null"/> when nothing (or a dangling link) is there.
    /// </summary>
    public static FileSystemInfo? Describe(string fullPath)
    {
        var path = fullPath;
        if (ReadLink(fullPath) is not null)
        {
            path = new FileInfo(fullPath).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? fullPath;
        }

        var file = new FileInfo(path);
        if (file.Exists)
        {
            return file;
        }

        var directory = new DirectoryInfo(path);
        return directory.Exists ? directory : null;
    }

    /// <summary>The target text of the link at <paramref name="path"/>, or <see langword="null"/> when it is not a link (or does not exist).</summary>
    public static string? ReadLink(string path)
    {
        try
        {
            return new FileInfo(path).LinkTarget;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private bool IsInsideRoot(string resolved)
    {
        var root = _resolvedRoot ?? Canonicalize(Root) ?? Root;
        if (Directory.Exists(root))
        {
            _resolvedRoot = root; // stable once the root exists; until then it is recomputed
        }

        return root == "/" || resolved == root || resolved.StartsWith(root + "/", StringComparison.Ordinal);
    }

    // realpath(3) that tolerates a missing tail: resolves every link on the way (chains,
    // relative targets, ".." applied after a link's target as the kernel does); components that
    // do not exist are kept as they are. Null for a loop.
    private static string? Canonicalize(string absolutePath)
    {
        var pending = new Stack<string>(absolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse());
        var current = "/";
        var links = 0;
        while (pending.TryPop(out var segment))
        {
            if (segment is "" or ".")
            {
                continue;
            }

            if (segment == "..")
            {
                current = Path.GetDirectoryName(current) ?? "/";
                continue;
            }

            var next = Path.Join(current, segment);
            var target = ReadLink(next);
            if (target is null)
            {
                current = next;
                continue;
            }

            if (++links > MaxLinks)
            {
                return null;
            }

            foreach (var part in target.Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse())
            {
                pending.Push(part);
            }

            if (target.StartsWith('/'))
            {
                current = "/";
            }
        }

        return current;
    }
}
