namespace Registry.Storage.Drivers.InMemory;

/// <summary>A committed file: frozen content and when it was stored.</summary>
internal sealed record StoredFile(ChunkedContent Content, DateTimeOffset ModTime);

/// <summary>Why a file cannot be placed at a key.</summary>
internal enum PlaceConflict
{
    /// <summary>The key is free or holds a file that will be replaced.</summary>
    None,

    /// <summary>A directory is there.</summary>
    IsDirectory,

    /// <summary>An ancestor of the key is a file.</summary>
    ParentIsFile,
}

/// <summary>
/// The backend: a tree of directories holding committed files, plus the uploads writers left
/// behind (keyed by absolute key, invisible until committed). Keys are absolute paths with
/// the driver's rootdirectory included, so drivers with different roots share one tree.
/// Directories exist only while something is below them, as in distribution. One lock
/// guards the tree; content is copied in and out outside it (committed content is frozen),
/// so the lock is held only for the tree's bookkeeping.
/// </summary>
internal sealed class InMemoryStore
{
    private readonly Lock _gate = new();
    private readonly DirectoryNode _root = new(DateTimeOffset.MinValue);
    private readonly Dictionary<string, ChunkedContent> _uploads = new(StringComparer.Ordinal);

    /// <summary>The committed file at <paramref name="key"/>, if any.</summary>
    public StoredFile? GetFile(string key)
    {
        lock (_gate)
        {
            return FindDirectory(StoragePath.Parent(key)) is { } parent ? parent.Files.GetValueOrDefault(StoragePath.Name(key)) : null;
        }
    }

    /// <summary>The modification time of the directory at <paramref name="key"/>, or <see langword="null"/> when there is none.</summary>
    public DateTimeOffset? GetDirectoryModTime(string key)
    {
        lock (_gate)
        {
            return FindDirectory(key)?.ModTime;
        }
    }

    /// <summary>Stores frozen <paramref name="content"/> at <paramref name="key"/>, replacing any file there.</summary>
    public PlaceConflict Put(string key, ChunkedContent content, DateTimeOffset modTime)
    {
        lock (_gate)
        {
            return Place(key, new StoredFile(content, modTime));
        }
    }

    /// <summary>
    /// The upload to continue at <paramref name="key"/>: with <paramref name="append"/> the one
    /// a previous writer left, else (or over committed empty content) a new, empty one that
    /// replaces it. Returns <see langword="null"/> when <paramref name="append"/> finds no
    /// upload: <paramref name="committedLength"/> is then the committed length append must not
    /// extend, or -1 when nothing at all is at the key.
    /// </summary>
    public ChunkedContent? OpenUpload(string key, bool append, DateTimeOffset now, out long committedLength)
    {
        lock (_gate)
        {
            committedLength = 0;
            if (append && _uploads.TryGetValue(key, out var existing))
            {
                return existing;
            }

            if (append && GetFileUnlocked(key) is var committed && committed is not { Content.Length: 0 })
            {
                committedLength = committed?.Content.Length ?? -1;
                return null;
            }

            if (_uploads.Remove(key, out var replaced))
            {
                replaced.Freeze(); // a writer still holding it fails instead of writing into the void
            }

            var upload = new ChunkedContent { ModTime = now };
            _uploads[key] = upload;
            return upload;
        }
    }

    /// <summary>Publishes <paramref name="upload"/> at <paramref name="key"/> and forgets it as an upload.</summary>
    public PlaceConflict CommitUpload(string key, ChunkedContent upload, DateTimeOffset modTime)
    {
        lock (_gate)
        {
            var conflict = FindConflict(key);
            if (conflict != PlaceConflict.None)
            {
                return conflict;
            }

            if (!upload.Freeze())
            {
                throw new InvalidOperationException("the upload was committed or replaced by another writer");
            }

            if (_uploads.TryGetValue(key, out var current) && ReferenceEquals(current, upload))
            {
                _uploads.Remove(key);
            }

            return Place(key, new StoredFile(upload, modTime));
        }
    }

    /// <summary>Drops <paramref name="upload"/> unless another writer has replaced it meanwhile.</summary>
    public void DiscardUpload(string key, ChunkedContent upload)
    {
        lock (_gate)
        {
            upload.Freeze();
            if (_uploads.TryGetValue(key, out var current) && ReferenceEquals(current, upload))
            {
                _uploads.Remove(key);
            }
        }
    }

    /// <summary>
    /// Moves the file at <paramref name="sourceKey"/> to <paramref name="destinationKey"/>,
    /// replacing a destination file. Returns <see langword="false"/> when no file is at the
    /// source — a directory is no file: the contract moves files only, as distribution's object
    /// stores do; <paramref name="conflict"/> says why the destination could not take it (then
    /// nothing changed).
    /// </summary>
    public bool Move(string sourceKey, string destinationKey, DateTimeOffset now, out PlaceConflict conflict)
    {
        lock (_gate)
        {
            conflict = PlaceConflict.None;
            if (GetFileUnlocked(sourceKey) is not { } file)
            {
                return false;
            }

            if (sourceKey == destinationKey)
            {
                return true;
            }

            conflict = FindConflict(destinationKey);
            if (conflict == PlaceConflict.None)
            {
                Remove(sourceKey, now);
                Place(destinationKey, file);
            }

            return true;
        }
    }

    /// <summary>
    /// Deletes the file or directory at <paramref name="key"/> and every upload at or below it.
    /// Returns <see langword="false"/> when no committed content was there (uploads are removed all the same).
    /// </summary>
    public bool Delete(string key, DateTimeOffset now)
    {
        lock (_gate)
        {
            var found = Remove(key, now);
            var uploads = _uploads.Keys.Where(k => StoragePath.IsSameOrDescendant(k, key)).ToList();
            foreach (var upload in uploads)
            {
                _uploads.Remove(upload, out var content);
                content!.Freeze();
            }

            return found;
        }
    }

    /// <summary>A snapshot of the uploads at or below <paramref name="key"/> as (key, size, last change). Unordered.</summary>
    public List<(string Key, long Size, DateTimeOffset ModTime)> SnapshotUploads(string key)
    {
        lock (_gate)
        {
            return [.. _uploads.Where(u => StoragePath.IsSameOrDescendant(u.Key, key)).Select(u => (u.Key, u.Value.Length, u.Value.ModTime))];
        }
    }

    /// <summary>The names of the direct children of the directory at <paramref name="key"/>, or <see langword="null"/> when there is no such directory.</summary>
    public List<string>? ListChildren(string key)
    {
        lock (_gate)
        {
            return FindDirectory(key) is { } directory ? [.. directory.Directories.Keys, .. directory.Files.Keys] : null;
        }
    }

    /// <summary>
    /// A snapshot of the committed files below the directory at <paramref name="key"/> as
    /// (key, size, time), skipping subtrees that lie wholly at or before <paramref name="startAfterKey"/>;
    /// <see langword="null"/> when there is no such directory. Unordered.
    /// </summary>
    public List<(string Key, long Size, DateTimeOffset ModTime)>? SnapshotFiles(string key, string? startAfterKey)
    {
        lock (_gate)
        {
            if (FindDirectory(key) is not { } directory)
            {
                return null;
            }

            var files = new List<(string, long, DateTimeOffset)>();
            Collect(directory, key, startAfterKey, files);
            return files;
        }
    }

    private static void Collect(DirectoryNode directory, string key, string? startAfterKey, List<(string, long, DateTimeOffset)> files)
    {
        foreach (var (name, file) in directory.Files)
        {
            var path = StoragePath.Combine(key, name);
            if (StoragePath.IsAfterHint(path, startAfterKey))
            {
                files.Add((path, file.Content.Length, file.ModTime));
            }
        }

        foreach (var (name, child) in directory.Directories)
        {
            var path = StoragePath.Combine(key, name);

            // Everything below sorts after path + "/"; when the hint is past that and not inside, the subtree is done.
            if (startAfterKey is null || StoragePath.IsAfterHint(path + "/", startAfterKey) || startAfterKey.StartsWith(path + "/", StringComparison.Ordinal))
            {
                Collect(child, path, startAfterKey, files);
            }
        }
    }

    private DirectoryNode? FindDirectory(string key)
    {
        var node = _root;
        foreach (var segment in Segments(key))
        {
            if (!node.Directories.TryGetValue(segment, out node))
            {
                return null;
            }
        }

        return node;
    }

    private StoredFile? GetFileUnlocked(string key) =>
        FindDirectory(StoragePath.Parent(key)) is { } parent ? parent.Files.GetValueOrDefault(StoragePath.Name(key)) : null;

    private PlaceConflict FindConflict(string key)
    {
        var node = _root;
        var segments = Segments(key);
        for (var i = 0; i < segments.Length; i++)
        {
            if (node.Files.ContainsKey(segments[i]))
            {
                return i == segments.Length - 1 ? PlaceConflict.None : PlaceConflict.ParentIsFile;
            }

            if (!node.Directories.TryGetValue(segments[i], out node))
            {
                return PlaceConflict.None;
            }
        }

        return PlaceConflict.IsDirectory;
    }

    private PlaceConflict Place(string key, StoredFile file)
    {
        var conflict = FindConflict(key);
        if (conflict == PlaceConflict.None)
        {
            CreateDirectories(StoragePath.Parent(key), file.ModTime).Files[StoragePath.Name(key)] = file;
        }

        return conflict;
    }

    private DirectoryNode CreateDirectories(string key, DateTimeOffset now)
    {
        var node = _root;
        node.ModTime = now;
        foreach (var segment in Segments(key))
        {
            if (!node.Directories.TryGetValue(segment, out var child))
            {
                child = new DirectoryNode(now);
                node.Directories[segment] = child;
            }

            node = child;
            node.ModTime = now;
        }

        return node;
    }

    // Removes the file or directory at key, then every ancestor left empty (directories are implied by children).
    private bool Remove(string key, DateTimeOffset now)
    {
        var chain = new List<DirectoryNode> { _root };
        foreach (var segment in Segments(StoragePath.Parent(key)))
        {
            if (!chain[^1].Directories.TryGetValue(segment, out var next))
            {
                return false;
            }

            chain.Add(next);
        }

        var name = StoragePath.Name(key);
        var parent = chain[^1];
        if (!parent.Files.Remove(name) && !parent.Directories.Remove(name))
        {
            return false;
        }

        var segments = Segments(key);
        for (var i = chain.Count - 1; i > 0 && chain[i].IsEmpty; i--)
        {
            chain[i - 1].Directories.Remove(segments[i - 1]);
        }

        foreach (var directory in chain)
        {
            directory.ModTime = now;
        }

        return true;
    }

    private static string[] Segments(string key) => key.Split('/', StringSplitOptions.RemoveEmptyEntries);

    private sealed class DirectoryNode(DateTimeOffset modTime)
    {
        public Dictionary<string, DirectoryNode> Directories { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, StoredFile> Files { get; } = new(StringComparer.Ordinal);

        public DateTimeOffset ModTime { get; set; } = modTime;

        public bool IsEmpty => Directories.Count == 0 && Files.Count == 0;
    }
}
