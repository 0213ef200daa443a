using Registry.Server.Layout;
using Registry.Storage;

namespace Registry.Server.Maintenance;

/// <summary>The deletions of a collection, as distribution's <c>Vacuum</c> makes them.</summary>
internal static class Sweeper
{
    /// <summary>
    /// distribution's <c>RemoveManifest</c>: the revision's entry in every tag's index, then the
    /// revision directory; plus this server's additive referrer link when the manifest had a subject.
    /// </summary>
    public static async Task RemoveManifestAsync(IStorageDriver driver, RepositoryContents repository, Digest digest, CancellationToken cancellationToken)
    {
        foreach (var tag in repository.Tags.Values.Where(t => t.Index.Any(e => e.Digest == digest)))
        {
            await DeleteIfPresentAsync(driver, StoragePath.Parent(RegistryPaths.TagIndexEntryLink(repository.Name, tag.Name, digest)), cancellationToken);
        }

        await DeleteIfPresentAsync(driver, RegistryPaths.ManifestRevisionDirectory(repository.Name, digest), cancellationToken);
        foreach (var referrer in repository.Referrers.Where(r => r.Referrer.Digest == digest))
        {
            await DeleteIfPresentAsync(driver, StoragePath.Parent(referrer.Referrer.Path), cancellationToken);
        }
    }

    /// <summary>Deletes <paramref name="path"/>; already gone is fine.</summary>
    public static async Task DeleteIfPresentAsync(IStorageDriver driver, string path, CancellationToken cancellationToken)
    {
        try
        {
            await driver.DeleteAsync(path, cancellationToken);
        }
        catch (PathNotFoundException)
        {
        }
    }
}
