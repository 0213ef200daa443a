using Registry.Server.Layout;
using Registry.Storage;

namespace Registry.Server.Storage;

/// <summary>
/// Lists repositories as distribution's catalog does: a directory below <c>repositories/</c>
/// that holds <c>_manifests</c> is a repository; directories starting with <c>_</c> are never descended.
/// </summary>
internal sealed class CatalogService(IStorageDriver driver)
{
    /// <summary>Repository names after <paramref name="last"/> in lexical order, at most <paramref name="limit"/> + 1 (to tell whether more follow).</summary>
    public async Task<List<string>> ListAsync(string? last, int limit, CancellationToken cancellationToken)
    {
        var found = new List<string>();
        var prefix = RegistryPaths.Repositories + "/";
        try
        {
            await driver.WalkAsync(RegistryPaths.Repositories, (entry, _) =>
            {
                if (!entry.IsDirectory)
                {
                    return ValueTask.FromResult(WalkDecision.Continue);
                }

                var leaf = StoragePath.Name(entry.Path);
                if (!leaf.StartsWith('_'))
                {
                    return ValueTask.FromResult(WalkDecision.Continue);
                }

                if (leaf == "_manifests")
                {
                    var repository = StoragePath.Parent(entry.Path)[prefix.Length..];
                    if (last is null || string.CompareOrdinal(repository, last) > 0)
                    {
                        found.Add(repository);
                    }
                }

                return ValueTask.FromResult(WalkDecision.SkipDirectory);
            }, null, cancellationToken);
        }
        catch (PathNotFoundException)
        {
            return found;
        }

        // Walk order puts "a-b" before "a/" (directories sort with their '/'); the catalog is plain lexical.
        found.Sort(StringComparer.Ordinal);
        return found.Count > limit ? found[..(limit + 1)] : found;
    }
}
