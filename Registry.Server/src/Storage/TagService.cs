using Registry.Server.Layout;
using Registry.Storage;

namespace Registry.Server.Storage;

/// <summary>The tags of a repository: the directory names under <c>_manifests/tags</c>.</summary>
internal sealed class TagService(IStorageDriver driver)
{
    /// <summary>The sorted tags, or null when the repository has no tag directory.</summary>
    public async Task<List<string>?> ListAsync(string name, CancellationToken cancellationToken)
    {
        var tags = await Links.ListNamesAsync(driver, RegistryPaths.Tags(name), cancellationToken);
        if (tags is null)
        {
            try
            {
                var info = await driver.StatAsync(RegistryPaths.Repository(name) + "/_manifests", cancellationToken);
                return info.IsDirectory ? [] : null;
            }
            catch (PathNotFoundException)
            {
                return null;
            }
        }

        return tags.Where(ReferenceGrammar.IsValidTag).ToList();
    }
}
