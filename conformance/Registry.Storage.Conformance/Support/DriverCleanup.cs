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
}
