using System.Collections.Concurrent;
using Registry.Server.Layout;
using Registry.Storage;

namespace Registry.Server.Maintenance;

/// <summary>Manifest references by digest, each manifest read from the blob store once however many repositories hold it.</summary>
internal sealed class ManifestCache(IStorageDriver driver)
{
    private readonly ConcurrentDictionary<Digest, ManifestReferences?> _references = new();

    /// <summary>Reads every digest in <paramref name="digests"/>, <paramref name="parallelism"/> at a time.</summary>
    public Task LoadAsync(IEnumerable<Digest> digests, int parallelism, IProgress<MaintenanceProgress>? progress, CancellationToken cancellationToken)
    {
        var list = digests.Distinct().Where(d => !_references.ContainsKey(d)).ToList();
        long done = 0;
        return Parallel.ForEachAsync(list, new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken }, async (digest, ct) =>
        {
            await GetAsync(digest, ct);
            var n = Interlocked.Increment(ref done);
            if (n % 500 == 0 || n == list.Count)
            {
                progress?.Report(new MaintenanceProgress("read manifests", n, list.Count));
            }
        });
    }

    /// <summary>What manifest <paramref name="digest"/> references, or null when its blob is gone.</summary>
    /// <exception cref="InvalidDataException">The blob is not a JSON manifest.</exception>
    public async Task<ManifestReferences?> GetAsync(Digest digest, CancellationToken cancellationToken)
    {
        if (_references.TryGetValue(digest, out var known))
        {
            return known;
        }

        ManifestReferences? references;
        try
        {
            var content = await driver.GetContentAsync(RegistryPaths.BlobData(digest), cancellationToken);
            references = ManifestReferences.Parse(content, $"manifest {digest}");
        }
        catch (PathNotFoundException)
        {
            references = null;
        }

        _references[digest] = references;
        return references;
    }
}
