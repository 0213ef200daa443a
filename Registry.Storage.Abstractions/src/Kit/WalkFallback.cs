namespace Registry.Storage.Kit;

/// <summary>
/// Walk built from List and Stat, for drivers without a flat listing (distribution's
/// <c>WalkFallback</c>). Children are visited in <see cref="StoragePath.WalkOrder"/> by
/// <see cref="DirectoryWalk"/>; entries removed between List and Stat are skipped; the
/// start-after hint prunes whole subtrees without a Stat.
/// </summary>
public static class WalkFallback
{
    /// <summary>Walks <paramref name="driver"/> below <paramref name="path"/>.</summary>
    public static Task WalkAsync(IStorageDriver driver, string path, WalkVisitor visitor, WalkOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(driver);
        ArgumentNullException.ThrowIfNull(visitor);
        return DirectoryWalk.WalkAsync(path, (directory, mayVisit, ct) => StatChildrenAsync(driver, directory, mayVisit, ct), visitor, options, cancellationToken);
    }

    private static async ValueTask<IReadOnlyCollection<StorageFileInfo>> StatChildrenAsync(IStorageDriver driver, string directory, Func<string, bool> mayVisit, CancellationToken cancellationToken)
    {
        var children = new List<StorageFileInfo>();
        await foreach (var child in driver.ListAsync(directory, cancellationToken).ConfigureAwait(false))
        {
            if (!mayVisit(child))
            {
                continue; // before the start-after hint: not worth a Stat
            }

            try
            {
                children.Add(await driver.StatAsync(child, cancellationToken).ConfigureAwait(false));
            }
            catch (PathNotFoundException)
            {
                // removed between List and Stat: nothing to visit
            }
        }

        return children;
    }
}
