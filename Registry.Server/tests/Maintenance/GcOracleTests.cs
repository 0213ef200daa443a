using System.Text.RegularExpressions;
using Registry.Server.Maintenance;
using Registry.Server.Tests.Clients;
using Registry.Server.Tests.Infrastructure;

namespace Registry.Server.Tests.Maintenance;

/// <summary>
/// distribution 2.8.2's <c>garbage-collect</c> is the oracle: a tree pushed through <c>docker-registry serve</c>
/// with skopeo (several repositories, a shared layer, a multi-arch index, an overwritten tag leaving an
/// untagged manifest, a deleted image), both collectors' dry runs, then real runs and pulls — on the
/// filesystem and on s3 (a fresh prefix of the test bucket on RGW, deleted afterwards).
/// </summary>
[NonParallelizable]
public sealed partial class GcOracleTests
{
    private TempDirectory _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempDirectory();

    [TearDown]
    public void TearDown() => _temp.Dispose();

    private sealed record Tree(OciLayoutBuilder.Image Untagged, OciLayoutBuilder.Image Deleted, OciLayoutBuilder.Image[] IndexEntries, string[] Tags);

    private async Task<Tree> PushAsync(string skopeo, TestBackend storage)
    {
        var oci = new OciLayoutBuilder(_temp.Sub("oci"));
        var shared = oci.AddLayer(1, 60_000);
        var a = oci.AddImage("amd64", shared, oci.AddLayer(2, 20_000));
        var b = oci.AddImage("amd64", shared, oci.AddLayer(3, 21_000));
        var c = oci.AddImage("amd64", shared, oci.AddLayer(4, 22_000));
        var d = oci.AddImage("amd64", shared, oci.AddLayer(5, 23_000));
        var e = oci.AddImage("amd64", oci.AddLayer(6, 24_000), oci.AddLayer(7, 25_000));
        var m1 = oci.AddImage("amd64", oci.AddLayer(8, 26_000));
        var m2 = oci.AddImage("arm64", oci.AddLayer(9, 27_000));
        var index = oci.AddIndex((m1, "amd64"), (m2, "arm64"));
        await using (var registry = await DistributionRegistry.StartAsync(storage, _temp.Path))
        {
            async Task Push(string tag, OciLayoutBuilder.Image image, string destination) =>
                await ExternalTool.RunOkAsync(skopeo, "copy", "--all", "--dest-tls-verify=false", oci.Tag(tag, image), $"docker://{registry.Authority}/{destination}");

            await Push("a", a, "app/one:v1");
            await Push("b", b, "app/one:v2");
            await Push("c", c, "app/one:v1"); // a is now untagged
            await Push("d", d, "app/two:latest");
            await Push("e", e, "app/two:old");
            await ExternalTool.RunOkAsync(skopeo, "delete", "--tls-verify=false", $"docker://{registry.Authority}/app/two:old");
            await Push("index", index, "multi/arch:latest");
        }

        return new Tree(a, e, [m1, m2], ["app/one:v1", "app/one:v2", "app/two:latest", "multi/arch:latest"]);
    }

    private static (SortedSet<string> Blobs, SortedSet<string> Manifests) ParseDistribution(string output) =>
        (new SortedSet<string>(BlobLine().Matches(output).Select(m => m.Groups[1].Value), StringComparer.Ordinal),
         new SortedSet<string>(ManifestLine().Matches(output).Select(m => m.Groups[1].Value), StringComparer.Ordinal));

    private static async Task<GarbageCollectionResult> OursAsync(TestBackend storage, bool dryRun, bool deleteUntagged)
    {
        await using var driver = storage.CreateDriver();
        return await new GarbageCollector(driver).RunAsync(new GarbageCollectionOptions { DryRun = dryRun, DeleteUntagged = deleteUntagged, Grace = TimeSpan.Zero }, CancellationToken.None);
    }

    [TestCaseSource(typeof(TestBackend), nameof(TestBackend.Names))]
    public async Task Dry_runs_name_the_same_blobs_and_manifests_as_distribution_and_after_gc_every_tag_pulls_through_both_servers(string backend)
    {
        var skopeo = ExternalTool.Require("skopeo");
        await using var storage = TestBackend.Create(backend, _temp);
        await using var copy = storage.Sibling("storage-untagged");
        var tree = await PushAsync(skopeo, storage);
        await storage.CopyToAsync(copy); // for the second real run

        // Without --delete-untagged: exactly distribution's set.
        var (theirBlobs, theirManifests) = ParseDistribution(await DistributionRegistry.GarbageCollectAsync(storage, _temp.Path, "--dry-run"));
        var ours = await OursAsync(storage, dryRun: true, deleteUntagged: false);
        ours.Blobs.Select(b => b.Digest).ShouldBe(theirBlobs, ignoreOrder: true);
        ours.Manifests.ShouldBeEmpty();
        theirManifests.ShouldBeEmpty();
        theirBlobs.ShouldBe(new[] { tree.Deleted.Digest }.Concat(tree.Deleted.Blobs), ignoreOrder: true); // the deleted image, nothing else

        // With --delete-untagged: distribution's set, less what 2.8.2 would take from under the tagged
        // index (its entries are untagged; 2.8.2 deletes them and their blobs — fixed in distribution v3).
        var (theirBlobsU, theirManifestsU) = ParseDistribution(await DistributionRegistry.GarbageCollectAsync(storage, _temp.Path, "--dry-run", "--delete-untagged"));
        var oursU = await OursAsync(storage, dryRun: true, deleteUntagged: true);
        var entries = tree.IndexEntries.Select(i => i.Digest).ToHashSet();
        var entryBlobs = tree.IndexEntries.SelectMany(i => i.Blobs).ToHashSet();
        theirManifestsU.ShouldBe(new[] { tree.Untagged.Digest }.Concat(entries), ignoreOrder: true);
        oursU.Manifests.Select(m => m.Digest).ShouldBe(theirManifestsU.Where(d => !entries.Contains(d)), ignoreOrder: true);
        oursU.Manifests.Single().Repository.ShouldBe("app/one");
        theirBlobsU.IsSupersetOf(entryBlobs).ShouldBeTrue();
        oursU.Blobs.Select(b => b.Digest).ShouldBe(theirBlobsU.Where(d => !entryBlobs.Contains(d)), ignoreOrder: true);
        oursU.Blobs.Select(b => b.Digest).ShouldContain(tree.Untagged.Digest);
        oursU.Blobs.Select(b => b.Digest).ShouldContain(tree.Untagged.Blobs[^1]); // its own layer; the shared one stays
        oursU.Blobs.Select(b => b.Digest).ShouldNotContain(tree.Untagged.Blobs[1]);

        // Real runs on two copies of the tree, then every tag pulls through distribution and through this server.
        var real = await OursAsync(storage, dryRun: false, deleteUntagged: false);
        real.Blobs.Select(b => b.Digest).ShouldBe(theirBlobs, ignoreOrder: true);
        var realU = await OursAsync(copy, dryRun: false, deleteUntagged: true);
        realU.Blobs.Count.ShouldBe(oursU.Blobs.Count);
        (await OursAsync(copy, dryRun: true, deleteUntagged: true)).Blobs.ShouldBeEmpty(); // nothing left to collect
        ParseDistribution(await DistributionRegistry.GarbageCollectAsync(copy, _temp.Path, "--dry-run")).Blobs.ShouldBeEmpty();

        foreach (var collected in new[] { storage, copy })
        {
            await using (var distribution = await DistributionRegistry.StartAsync(collected, _temp.Path))
            {
                await PullAllAsync(skopeo, distribution.Authority, tree.Tags);
            }

            await using var host = await RegistryHost.StartAsync(collected.CreateDriver());
            await PullAllAsync(skopeo, host.Authority, tree.Tags);
        }

        await using var verifyDriver = copy.CreateDriver();
        var verified = await new RegistryVerifier(verifyDriver).RunAsync(new VerificationOptions(), CancellationToken.None);
        verified.Problems.ShouldBeEmpty(string.Join('\n', verified.Problems));
    }

    private async Task PullAllAsync(string skopeo, string authority, IEnumerable<string> tags)
    {
        foreach (var tag in tags)
        {
            var target = _temp.Sub("pull-" + Guid.NewGuid().ToString("N")[..8]);
            await ExternalTool.RunOkAsync(skopeo, "copy", "--all", "--src-tls-verify=false", $"docker://{authority}/{tag}", $"oci:{target}:t");
        }
    }

    [GeneratedRegex(@"^blob eligible for deletion: (\S+)$", RegexOptions.Multiline)]
    private static partial Regex BlobLine();

    [GeneratedRegex(@"^manifest eligible for deletion: (\S+)$", RegexOptions.Multiline)]
    private static partial Regex ManifestLine();
}
