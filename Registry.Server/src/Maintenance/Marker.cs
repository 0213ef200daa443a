using Registry.Server.Layout;

namespace Registry.Server.Maintenance;

/// <summary>
/// The mark set: manifests and every digest they reference, followed through indexes and manifest
/// lists recursively (distribution 2.8 marks an index's entries but not what they reference; v3
/// recurses, as this does).
/// </summary>
internal sealed class Marker(ManifestCache cache)
{
    private readonly HashSet<Digest> _visited = [];

    public HashSet<Digest> Marked { get; } = [];

    /// <summary>Marks manifest <paramref name="root"/> (a revision: a blob that is not a manifest aborts the run) and everything below it.</summary>
    public async Task MarkManifestAsync(Digest root, CancellationToken cancellationToken)
    {
        var pending = new Stack<(Digest Digest, bool IsRoot)>();
        pending.Push((root, true));
        while (pending.TryPop(out var item))
        {
            Marked.Add(item.Digest);
            if (!_visited.Add(item.Digest))
            {
                continue;
            }

            ManifestReferences? references;
            try
            {
                references = await cache.GetAsync(item.Digest, cancellationToken);
            }
            catch (InvalidDataException) when (!item.IsRoot)
            {
                continue; // an index entry naming something that is not a manifest: marked, nothing below it
            }

            if (references is null)
            {
                continue;
            }

            Marked.UnionWith(references.Blobs);
            foreach (var child in references.Manifests)
            {
                pending.Push((child, false));
            }
        }
    }
}
