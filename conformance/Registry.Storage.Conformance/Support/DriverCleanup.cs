namespace Registry.Storage.Conformance;

/// <summary>Cleanup the suite and the benchmarks share: disposing drivers, deleting what may already be gone.</summary>
internal static class DriverCleanup
{
    /// <summary>Disposes <paramref name="driver"/> when it holds resources (clients, connections).</summary>
    public static async ValueTask DisposeAsync(IStorageDriver driver)
    {
        ArgumentNullException.ThrowIfNull(driver);
        await driver.DisposeAsync();
    }

    /// <summary>Deletes <paramref name="path"/>, accepting that it is already gone.</summary>
    public static async Task DeleteIgnoringMissingAsync(IStorageDriver driver, string path)
    {
        try
        {
            await driver.DeleteAsync(path, CancellationToken.None);
        }
        catch (PathNotFoundException)
        {
            // already gone
        }
    }

    /// <summary>Deletes everything under <c>/</c>; returns what was there.</summary>
    public static async Task<IReadOnlyList<string>> CleanRootAsync(IStorageDriver driver)
    {
        var children = await driver.ListSortedAsync(StoragePath.Root, CancellationToken.None);
        foreach (var child in children)
        {
            await DeleteIgnoringMissingAsync(driver, child);
        }

        return children;
    }

    /// <summary>
    /// Discards every upload left under <c>/</c> (append + Cancel) when the driver lists them
    /// (<see cref="DriverCapabilities.ListUploads"/>); returns their paths.
    /// </summary>
    public static async Task<IReadOnlyList<string>> DiscardUploadsAsync(IStorageDriver driver)
    {
        if (!driver.Capabilities.ListUploads)
        {
            return [];
        }

        var uploads = new List<string>();
        await foreach (var upload in driver.ListUploadsAsync(StoragePath.Root, CancellationToken.None))
        {
            uploads.Add(upload.Path);
        }

        foreach (var path in uploads)
        {
            try
            {
                await driver.DiscardUploadAsync(path, CancellationToken.None);
            }
            catch (PathNotFoundException)
            {
                // gone meanwhile
            }
        }

        uploads.Sort(StringComparer.Ordinal);
        return uploads;
    }
}
