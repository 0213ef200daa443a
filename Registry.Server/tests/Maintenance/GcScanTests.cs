using System.Collections.Concurrent;
using System.Net;
using Registry.Server.Maintenance;
using Registry.Server.Tests.Infrastructure;
using Registry.Storage.Kit;

namespace Registry.Server.Tests.Maintenance;

/// <summary>
/// A collection walks the parts of <c>repositories/</c> it needs and no more: the <c>_layers</c> links
/// serve the sweep and the re-scan (not a dry run), the tags only <c>--delete-untagged</c>. On a driver
/// that lists directory by directory they are most of the tree.
/// </summary>
public sealed class GcScanTests
{
    [TestCase(true, false, false, false)]
    [TestCase(true, true, false, true)]
    [TestCase(false, false, true, false)]
    [TestCase(false, true, true, true)]
    public async Task A_collection_walks_the_layer_links_and_the_tags_only_when_it_needs_them(bool dryRun, bool deleteUntagged, bool walksLayers, bool walksTags)
    {
        using var temp = new TempDirectory();
        var root = temp.Sub("storage");
        await using (var host = await RegistryHost.StartAsync(RegistryHost.Filesystem(root)))
        {
            var digest = "";
            foreach (var (repo, seed) in new[] { ("kept", 1), ("gone", 2) })
            {
                var manifest = await RegistryApi.PushImageBlobsAsync(host.Client, repo, layers: 2, seed: seed);
                using var put = await RegistryApi.PutManifestAsync(host.Client, repo, "v1", manifest, RegistryApi.OciManifest);
                put.StatusCode.ShouldBe(HttpStatusCode.Created);
                digest = RegistryApi.Sha256(manifest);
            }

            using var delete = await host.Client.DeleteAsync($"/v2/gone/manifests/{digest}");
            delete.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        }

        await using var driver = new WalkRecordingDriver(RegistryHost.Filesystem(root));
        var result = await new GarbageCollector(driver).RunAsync(new GarbageCollectionOptions { DryRun = dryRun, DeleteUntagged = deleteUntagged, Grace = TimeSpan.Zero }, CancellationToken.None);

        result.Blobs.Count.ShouldBe(4); // the deleted image: manifest, config, two layers
        result.Repositories.ShouldBe(2);
        driver.Visited.Any(p => p.Contains("/_layers/", StringComparison.Ordinal)).ShouldBe(walksLayers);
        driver.Visited.Any(p => p.Contains("/_manifests/tags/", StringComparison.Ordinal)).ShouldBe(walksTags);
    }

    private sealed class WalkRecordingDriver(IStorageDriver inner) : DelegatingStorageDriver(inner)
    {
        public ConcurrentQueue<string> Visited { get; } = new();

        public override Task WalkAsync(string path, WalkVisitor visitor, WalkOptions? options = null, CancellationToken cancellationToken = default) =>
            base.WalkAsync(path, (entry, ct) =>
            {
                Visited.Enqueue(entry.Path);
                return visitor(entry, ct);
            }, options, cancellationToken);
    }
}
