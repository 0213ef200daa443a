namespace Registry.Storage;

/// <summary>Conveniences over <see cref="IStorageDriver"/> that every driver gets for free.</summary>
public static class StorageDriverExtensions
{
    /// <summary>Whether something (file or directory) exists at <paramref name="path"/>.</summary>
    public static async Task<bool> ExistsAsync(this IStorageDriver driver, string path, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(driver);
        try
        {
            await driver.StatAsync(path, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (PathNotFoundException)
        {
            return false;
        }
    }

    /// <summary>The children of <paramref name="path"/> as a sorted list.</summary>
    public static async Task<IReadOnlyList<string>> ListSortedAsync(this IStorageDriver driver, string path, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(driver);
        var children = new List<string>();
        await foreach (var child in driver.ListAsync(path, cancellationToken).ConfigureAwait(false))
        {
            children.Add(child);
        }

        children.Sort(StringComparer.Ordinal);
        return children;
    }

    /// <summary>Collects a whole walk (handy for tests and small trees).</summary>
    public static async Task<IReadOnlyList<StorageFileInfo>> WalkToListAsync(this IStorageDriver driver, string path, WalkOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(driver);
        var entries = new List<StorageFileInfo>();
        await driver.WalkAsync(path, (entry, _) =>
        {
            entries.Add(entry);
            return ValueTask.FromResult(WalkDecision.Continue);
        }, options, cancellationToken).ConfigureAwait(false);
        return entries;
    }

    /// <summary>Writes <paramref name="content"/> through a writer and commits it: the streaming counterpart of PutContent.</summary>
    public static async Task<long> WriteStreamAsync(this IStorageDriver driver, string path, Stream content, bool append = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(driver);
        ArgumentNullException.ThrowIfNull(content);
        var writer = await driver.WriterAsync(path, append, cancellationToken).ConfigureAwait(false);
        await using (writer.ConfigureAwait(false))
        {
            await content.CopyToAsync(writer, 1 << 20, cancellationToken).ConfigureAwait(false);
            await writer.CommitAsync(cancellationToken).ConfigureAwait(false);
            return writer.Size;
        }
    }

    /// <summary>
    /// Discards the uncommitted upload at <paramref name="path"/> (one <see cref="IStorageDriver.ListUploadsAsync"/>
    /// reported) the contract's way: a writer resuming it, then <see cref="FileWriter.CancelAsync"/>.
    /// Committed content at the path is left as it is.
    /// </summary>
    /// <returns>The bytes the upload held (the resumed writer's size).</returns>
    /// <exception cref="PathNotFoundException">No upload (and no committed content) is at the path any more.</exception>
    /// <exception cref="StorageDriverException">No upload is there any more but committed content is (the upload was committed meanwhile).</exception>
    public static async Task<long> DiscardUploadAsync(this IStorageDriver driver, string path, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(driver);
        var writer = await driver.WriterAsync(path, append: true, cancellationToken).ConfigureAwait(false);
        await using (writer.ConfigureAwait(false))
        {
            var size = writer.Size;
            await writer.CancelAsync(cancellationToken).ConfigureAwait(false);
            return size;
        }
    }
}
