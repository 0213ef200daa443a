using Registry.Storage.Drivers.Rados.Native;

namespace Registry.Storage.Drivers.Rados;

/// <summary>
/// The directory tree: one object per directory whose omap maps child names to
/// <see cref="DirectoryEntry"/> values. Replacing an entry is a compare-and-swap on the
/// parent's omap, so concurrent commits to one path never both believe they won.
/// </summary>
/// <remarks>
/// RADOS has no multi-object transactions: creating ancestors and pruning empty directories
/// are separate single-object steps, ordered and guarded by object versions so that a
/// commit racing a prune is never lost (see <see cref="PruneAsync"/>).
/// </remarks>
internal sealed class RadosDirectoryIndex(RadosIoContext io, RadosLayout layout)
{
    private const int PageSize = 1000;

    /// <summary>The entry at <paramref name="path"/> (not <c>/</c>), or <see langword="null"/> when there is none.</summary>
    public async Task<DirectoryEntry?> LookupAsync(string path, CancellationToken cancellationToken)
    {
        var name = StoragePath.Name(path);
        try
        {
            var found = await io.OmapGetByKeysAsync(layout.DirectoryObject(StoragePath.Parent(path)), [name], cancellationToken).ConfigureAwait(false);
            return found.Count == 0 ? null : DirectoryEntry.Decode(name, found[0].Value);
        }
        catch (RadosException ex) when (ex.Errno == Errno.ENOENT)
        {
            return null;
        }
    }

    /// <summary>The upload in progress at <paramref name="path"/>, or <see langword="null"/> when there is none.</summary>
    public async Task<DirectoryEntry?> LookupUploadAsync(string path, CancellationToken cancellationToken)
    {
        var key = DirectoryEntry.UploadKey(StoragePath.Name(path));
        try
        {
            var found = await io.OmapGetByKeysAsync(layout.DirectoryObject(StoragePath.Parent(path)), [key], cancellationToken).ConfigureAwait(false);
            return found.Count == 0 ? null : DirectoryEntry.Decode(key, found[0].Value);
        }
        catch (RadosException ex) when (ex.Errno == Errno.ENOENT)
        {
            return null;
        }
    }

    /// <summary>
    /// The entries of directory <paramref name="path"/> in name order, page by page.
    /// Throws <see cref="RadosException"/> <c>ENOENT</c> when the directory does not exist.
    /// </summary>
    public async IAsyncEnumerable<DirectoryEntry> ListAsync(string path, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var oid = layout.DirectoryObject(path);
        string? after = null;
        while (true)
        {
            var (entries, more, _) = await io.OmapGetAsync(oid, after, PageSize, cancellationToken).ConfigureAwait(false);
            foreach (var (name, value) in entries)
            {
                yield return DirectoryEntry.Decode(name, value);
            }

            if (!more || entries.Count == 0)
            {
                yield break;
            }

            after = entries[^1].Key;
        }
    }

    /// <summary>
    /// Points <paramref name="path"/> at <paramref name="entry"/> (a file, or an upload record
    /// under its own key), creating the ancestor directories, and returns the entry of the same
    /// key it replaced (whose data the caller removes).
    /// </summary>
    /// <remarks>The entry goes in before the ancestors' markers: see <see cref="PruneAsync"/> for why that order is safe.</remarks>
    /// <exception cref="StorageDriverException">A directory is stored at <paramref name="path"/>, or a file at one of its ancestors; nothing changed.</exception>
    public async Task<DirectoryEntry?> PublishAsync(string path, DirectoryEntry entry, CancellationToken cancellationToken)
    {
        var parent = StoragePath.Parent(path);
        var previous = await CompareAndSetAsync(layout.DirectoryObject(parent), entry.Key, entry.Encode(), current =>
        {
            if (current is not null && DirectoryEntry.Decode(entry.Key, current).IsDirectory)
            {
                throw Conflict(path, $"cannot write {path}: a directory is stored there");
            }
        }, cancellationToken).ConfigureAwait(false);

        try
        {
            await EnsureAncestorsAsync(parent, cancellationToken).ConfigureAwait(false);
        }
        catch (StorageDriverException)
        {
            // A file holds an ancestor's name: take our entry back out before reporting it.
            if (await RemoveAsync(path, entry, cancellationToken).ConfigureAwait(false))
            {
                await PruneAsync(parent, cancellationToken).ConfigureAwait(false);
            }

            throw;
        }

        return previous is null ? null : DirectoryEntry.Decode(entry.Key, previous);
    }

    // Sets omap `key` of `objectId` to `value` unless it changed since we read it (then reads
    // again); `check` sees the current value first and throws to refuse. Returns the value replaced.
    private async Task<byte[]?> CompareAndSetAsync(string objectId, string key, byte[] value, Action<byte[]?> check, CancellationToken cancellationToken)
    {
        while (true)
        {
            var (exists, previous) = await LookupRawAsync(objectId, key, cancellationToken).ConfigureAwait(false);
            check(previous);
            using var op = new RadosWriteOperation();
            if (!exists)
            {
                op.Create(exclusive: true); // EEXIST when another writer created the directory first
            }
            else
            {
                // The OSD compares a missing key as an empty value, and entries are never empty:
                // so this also asserts "still absent" when there was no entry.
                op.OmapCompareEqual(key, previous ?? []);
            }

            op.OmapSet(new Dictionary<string, byte[]> { [key] = value });
            try
            {
                await op.ExecuteAsync(io, objectId, cancellationToken).ConfigureAwait(false);
                return previous;
            }
            catch (RadosException ex) when (ex.Errno is Errno.ECANCELED or Errno.EEXIST or Errno.ENOENT)
            {
                // Another writer changed the entry (or created or pruned the directory) between
                // our read and our write: read again.
            }
        }
    }

    /// <summary>Removes <paramref name="path"/>'s entry (or upload record) if it still is <paramref name="expected"/>; returns whether it did.</summary>
    public async Task<bool> RemoveAsync(string path, DirectoryEntry expected, CancellationToken cancellationToken)
    {
        using var op = new RadosWriteOperation();
        op.OmapCompareEqual(expected.Key, expected.Encode());
        op.OmapRemove([expected.Key]);
        try
        {
            await op.ExecuteAsync(io, layout.DirectoryObject(StoragePath.Parent(path)), cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RadosException ex) when (ex.Errno is Errno.ECANCELED or Errno.ENOENT)
        {
            return false;
        }
    }

    /// <summary>Removes the object of directory <paramref name="path"/> (its entries must be gone already).</summary>
    public async Task RemoveDirectoryObjectAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            await io.RemoveAsync(layout.DirectoryObject(path), cancellationToken).ConfigureAwait(false);
        }
        catch (RadosException ex) when (ex.Errno == Errno.ENOENT)
        {
            // already gone
        }
    }

    /// <summary>
    /// Removes <paramref name="directory"/> and then each ancestor while it is empty, the root's
    /// object too, so nothing is left behind.
    /// </summary>
    /// <remarks>
    /// Each removal is guarded by the object version read with the emptiness check, and the
    /// parent's entry is removed only while the directory object is absent, guarded by the
    /// parent's version. A writer stores its entry first and marks the ancestors after
    /// (<see cref="PublishAsync"/>), so either the guard fails or the writer's marker lands
    /// after ours is gone: a concurrent commit is never lost.
    /// </remarks>
    public async Task PruneAsync(string directory, CancellationToken cancellationToken)
    {
        while (true)
        {
            var oid = layout.DirectoryObject(directory);
            try
            {
                var (entries, _, version) = await io.OmapGetAsync(oid, null, 1, cancellationToken).ConfigureAwait(false);
                if (entries.Count > 0)
                {
                    return;
                }

                using var remove = new RadosWriteOperation();
                remove.AssertVersion(version);
                remove.Remove();
                await remove.ExecuteAsync(io, oid, cancellationToken).ConfigureAwait(false);
            }
            catch (RadosException ex) when (ex.Errno == Errno.ENOENT)
            {
                // no object: already removed, keep pruning upward
            }
            catch (RadosException ex) when (IsVersionConflict(ex))
            {
                return; // someone wrote into the directory since we looked: it is in use
            }

            if (directory == StoragePath.Root || !await RemoveMarkerAsync(directory, cancellationToken).ConfigureAwait(false))
            {
                return;
            }

            directory = StoragePath.Parent(directory);
        }
    }

    // Removes `directory`'s marker from its parent while the directory object stays absent.
    private async Task<bool> RemoveMarkerAsync(string directory, CancellationToken cancellationToken)
    {
        var name = StoragePath.Name(directory);
        var parentObject = layout.DirectoryObject(StoragePath.Parent(directory));
        var marker = DirectoryEntry.Directory(name).Encode();
        while (true)
        {
            ulong parentVersion;
            try
            {
                (_, _, parentVersion) = await io.OmapGetAsync(parentObject, null, 1, cancellationToken).ConfigureAwait(false);
            }
            catch (RadosException ex) when (ex.Errno == Errno.ENOENT)
            {
                return true; // the parent is gone too: nothing to remove here, keep pruning upward
            }

            if (await ObjectExistsAsync(layout.DirectoryObject(directory), cancellationToken).ConfigureAwait(false))
            {
                return false; // recreated by a writer since we removed it: it stays
            }

            using var op = new RadosWriteOperation();
            op.AssertVersion(parentVersion);
            op.OmapCompareEqual(name, marker);
            op.OmapRemove([name]);
            try
            {
                await op.ExecuteAsync(io, parentObject, cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (RadosException ex) when (ex.Errno is Errno.ENOENT or Errno.ECANCELED)
            {
                return ex.Errno == Errno.ENOENT; // parent gone: keep pruning; marker replaced: stop
            }
            catch (RadosException ex) when (IsVersionConflict(ex))
            {
                // the parent changed between our read and write: look again
            }
        }
    }

    private async Task<bool> ObjectExistsAsync(string oid, CancellationToken cancellationToken)
    {
        try
        {
            await io.StatAsync(oid, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RadosException ex) when (ex.Errno == Errno.ENOENT)
        {
            return false;
        }
    }

    private static bool IsVersionConflict(RadosException ex) => ex.Errno is Errno.ERANGE or Errno.EOVERFLOW;

    private async Task<(bool ParentExists, byte[]? Value)> LookupRawAsync(string parentObject, string key, CancellationToken cancellationToken)
    {
        try
        {
            var found = await io.OmapGetByKeysAsync(parentObject, [key], cancellationToken).ConfigureAwait(false);
            return (true, found.Count == 0 ? null : found[0].Value);
        }
        catch (RadosException ex) when (ex.Errno == Errno.ENOENT)
        {
            return (false, null);
        }
    }

    // Marks every directory from the root down to `directory` in its parent; independent
    // objects, so all in parallel. Rewriting an existing marker is harmless (and bumps the
    // version a concurrent prune checks); a file under one of those names is a conflict.
    private Task EnsureAncestorsAsync(string directory, CancellationToken cancellationToken)
    {
        var marker = DirectoryEntry.Directory(string.Empty).Encode();
        var writes = new List<Task>();
        for (var d = directory; d != StoragePath.Root; d = StoragePath.Parent(d))
        {
            var ancestor = d;
            writes.Add(CompareAndSetAsync(layout.DirectoryObject(StoragePath.Parent(d)), StoragePath.Name(d), marker, current =>
            {
                if (current is not null && !current.AsSpan().SequenceEqual(marker))
                {
                    throw Conflict(ancestor, $"cannot create directory {ancestor}: a file is stored there");
                }
            }, cancellationToken));
        }

        return Task.WhenAll(writes);
    }

    private static StorageDriverException Conflict(string path, string message) => new(RadosDriver.DriverName, message) { Path = path };
}
