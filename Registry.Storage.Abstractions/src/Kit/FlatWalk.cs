namespace Registry.Storage.Kit;

/// <summary>
/// Turns a flat, key-ordered listing of files (what object stores give) into a walk:
/// synthesises the directory entries between consecutive keys, honours skip-directory,
/// stop and the start-after hint. Drivers with a native flat listing feed it their files.
/// </summary>
/// <remarks>
/// Files must come in ordinal path order — an object store's listing order, which is walk
/// order for files (<see cref="StoragePath.WalkKey"/>). <see cref="AddFileAsync"/> checks it
/// and throws when a driver breaks it, rather than silently skipping entries.
/// </remarks>
public sealed class FlatWalk
{
    private readonly string _root;
    private readonly WalkVisitor _visitor;
    private readonly string? _hint;
    private string _previousDirectory;
    private string? _skipped;
    private string? _lastFile;

    /// <summary>Starts a walk below <paramref name="root"/>.</summary>
    public FlatWalk(string root, WalkVisitor visitor, WalkOptions? options)
    {
        _root = root;
        _visitor = visitor;
        _hint = string.IsNullOrEmpty(options?.StartAfterHint) ? null : options!.StartAfterHint;
        _previousDirectory = root;
    }

    /// <summary>Whether the visitor asked to stop.</summary>
    public bool Stopped { get; private set; }

    /// <summary>Feeds the next file; returns <see langword="false"/> once the walk should stop.</summary>
    public async ValueTask<bool> AddFileAsync(StorageFileInfo file, CancellationToken cancellationToken)
    {
        if (Stopped)
        {
            return false;
        }

        if (_lastFile is not null && string.CompareOrdinal(_lastFile, file.Path) >= 0)
        {
            throw new InvalidOperationException($"flat walk fed out of order: {file.Path} after {_lastFile}");
        }

        _lastFile = file.Path;
        foreach (var directory in NewDirectories(_previousDirectory, file.Path))
        {
            _previousDirectory = directory;
            if (!await EmitAsync(StorageFileInfo.Directory(directory), cancellationToken).ConfigureAwait(false))
            {
                return false;
            }
        }

        _previousDirectory = StoragePath.Parent(file.Path);
        return await EmitAsync(file, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<bool> EmitAsync(StorageFileInfo entry, CancellationToken cancellationToken)
    {
        if (_skipped is not null && StoragePath.IsSameOrDescendant(entry.Path, _skipped))
        {
            return true;
        }

        if (!StoragePath.IsAfterHint(StoragePath.WalkKey(entry), _hint))
        {
            return true;
        }

        switch (await _visitor(entry, cancellationToken).ConfigureAwait(false))
        {
            case WalkDecision.Stop:
                Stopped = true;
                return false;
            case WalkDecision.SkipDirectory when entry.IsDirectory:
                _skipped = entry.Path;
                break;
        }

        return true;
    }

    // The directories on the way to `file` that the previous entry did not already open:
    // ("/a/b", "/a/c/d/f") → ["/a/c", "/a/c/d"].
    private Stack<string> NewDirectories(string previousDirectory, string file)
    {
        var parent = StoragePath.Parent(file);
        var common = previousDirectory;
        while (!StoragePath.IsSameOrDescendant(parent, common))
        {
            common = StoragePath.Parent(common);
        }

        if (!StoragePath.IsSameOrDescendant(common, _root))
        {
            common = _root;
        }

        var pending = new Stack<string>();
        for (var d = parent; d != common && d.Length > common.Length; d = StoragePath.Parent(d))
        {
            pending.Push(d);
        }

        return pending;
    }
}
