namespace Registry.Storage.Kit;

/// <summary>
/// Walk built from List and Stat, for drivers without a flat listing (distribution's
/// <c>WalkFallback</c>). Children are visited in <see cref="StoragePath.WalkOrder"/>; entries
/// removed between List and Stat are skipped; the start-after hint prunes whole subtrees
/// without a Stat.
/// </summary>
public static class WalkFallback
{
    /// <summary>Walks <paramref name="driver"/> below <paramref name="path"/>.</summary>
    public static async Task WalkAsync(IStorageDriver driver, string path, WalkVisitor visitor, WalkOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(driver);
        ArgumentNullException.ThrowIfNull(visitor);
        var hint = string.IsNullOrEmpty(options?.StartAfterHint) ? null : options!.StartAfterHint;
        await WalkDirectoryAsync(driver, path, visitor, hint, isStart: true, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<bool> WalkDirectoryAsync(IStorageDriver driver, string directory, WalkVisitor visitor, string? hint, bool isStart, CancellationToken cancellationToken)
    {
        var children = new List<StorageFileInfo>();
        try
        {
            await foreach (var child in driver.ListAsync(directory, cancellationToken).ConfigureAwait(false))
            {
                // Both a file and a directory at `child` sort before "child/"; when that too is
                // at or before the hint (and not its ancestor), the whole subtree was walked already.
                if (hint is not null && !StoragePath.IsAfterHint(child + "/", hint) && !hint.StartsWith(child + "/", StringComparison.Ordinal))
                {
                    continue;
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
        }
        catch (PathNotFoundException) when (!isStart)
        {
            return true; // the directory went away while we walked
        }

        children.Sort(StoragePath.WalkOrder);
        foreach (var child in children)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (StoragePath.IsAfterHint(StoragePath.WalkKey(child), hint))
            {
                var decision = await visitor(child, cancellationToken).ConfigureAwait(false);
                if (decision == WalkDecision.Stop)
                {
                    return false;
                }

                if (decision == WalkDecision.SkipDirectory)
                {
                    continue;
                }
            }

            if (child.IsDirectory && !await WalkDirectoryAsync(driver, child.Path, visitor, hint, isStart: false, cancellationToken).ConfigureAwait(false))
            {
                return false;
            }
        }

        return true;
    }
}
