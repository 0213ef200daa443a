using System.Net;
using System.Text.Json;
using Registry.Server.Maintenance;
using Registry.Server.Tests.Infrastructure;

namespace Registry.Server.Tests.Maintenance;

/// <summary>Garbage collection while clients push through this server on the same filesystem tree loses nothing.</summary>
[NonParallelizable]
public sealed class GcConcurrencyTests
{
    private TempDirectory _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempDirectory();

    [TearDown]
    public void TearDown() => _temp.Dispose();

    private static async Task<string> PushImageAsync(HttpClient client, string repo, string tag, int seed)
    {
        var manifest = await RegistryApi.PushImageBlobsAsync(client, repo, layers: 2, seed: seed);
        using var response = await RegistryApi.PutManifestAsync(client, repo, tag, manifest, RegistryApi.OciManifest);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return RegistryApi.Sha256(manifest);
    }

    /// <summary>Every manifest and blob of <paramref name="repo"/>:<paramref name="reference"/> answers 200 with its bytes.</summary>
    private static async Task AssertCompleteAsync(HttpClient client, string repo, string reference)
    {
        using var get = new HttpRequestMessage(HttpMethod.Get, $"/v2/{repo}/manifests/{reference}");
        get.Headers.TryAddWithoutValidation("Accept", RegistryApi.OciManifest);
        using var response = await client.SendAsync(get);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, $"{repo}:{reference}");
        using var manifest = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync());
        var digests = manifest.RootElement.GetProperty("layers").EnumerateArray().Append(manifest.RootElement.GetProperty("config")).Select(d => d.GetProperty("digest").GetString()!);
        foreach (var digest in digests)
        {
            var bytes = await client.GetByteArrayAsync($"/v2/{repo}/blobs/{digest}");
            RegistryApi.Sha256(bytes).ShouldBe(digest, $"{repo}:{reference} blob");
        }
    }

    private static void Age(string root, TimeSpan by)
    {
        foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
        {
            File.SetLastWriteTimeUtc(file, DateTime.UtcNow - by);
        }
    }

    [Test]
    public async Task A_push_between_mark_and_sweep_that_reuses_an_unreferenced_blob_and_an_upload_without_manifest_keep_their_blobs()
    {
        var root = _temp.Sub("storage");
        await using var host = await RegistryHost.StartAsync(RegistryHost.Filesystem(root));
        await PushImageAsync(host.Client, "kept", "v1", seed: 1);
        var reused = await RegistryApi.PushImageBlobsAsync(host.Client, "reuse", layers: 2, seed: 2);
        var garbage = await PushImageAsync(host.Client, "gone", "v1", seed: 3);
        (await host.Client.DeleteAsync($"/v2/gone/manifests/{garbage}")).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        Age(root, TimeSpan.FromHours(2)); // all of it older than the grace period

        var fresh = RegistryApi.RandomBytes(5000, 99);
        var gc = new GarbageCollector(host.Driver)
        {
            PhaseHook = async (_, _) =>
            {
                // A client that found seed 2's blobs already linked pushes only the manifest, and another uploads a blob whose manifest is still to come.
                using var put = await RegistryApi.PutManifestAsync(host.Client, "reuse", "late", reused, RegistryApi.OciManifest);
                put.StatusCode.ShouldBe(HttpStatusCode.Created);
                await RegistryApi.PushBlobAsync(host.Client, "pending", fresh);
            },
        };
        var result = await gc.RunAsync(new GarbageCollectionOptions { Grace = TimeSpan.FromMinutes(1) }, CancellationToken.None);

        result.Rescued.ShouldBe(3); // seed 2's config and two layers
        result.Blobs.Select(b => b.Digest).ShouldContain(garbage);
        result.Blobs.Count.ShouldBe(4); // the deleted image's manifest, config and layers
        await AssertCompleteAsync(host.Client, "kept", "v1");
        await AssertCompleteAsync(host.Client, "reuse", "late");
        (await host.Client.GetByteArrayAsync($"/v2/pending/blobs/{RegistryApi.Sha256(fresh)}")).ShouldBe(fresh);
        (await host.Client.GetAsync($"/v2/gone/blobs/{garbage}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Test]
    public async Task Pushes_running_through_repeated_collections_lose_nothing()
    {
        var root = _temp.Sub("storage");
        await using var host = await RegistryHost.StartAsync(RegistryHost.Filesystem(root));
        var garbage = await PushImageAsync(host.Client, "old", "v1", seed: 1000);
        (await host.Client.DeleteAsync($"/v2/old/manifests/{garbage}")).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        Age(root, TimeSpan.FromHours(2));

        using var stop = new CancellationTokenSource();
        var pushed = new System.Collections.Concurrent.ConcurrentBag<(string Repo, string Tag)>();
        var pushers = Enumerable.Range(0, 4).Select(worker => Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested && i < 40; i++)
            {
                var repo = $"push/w{worker}";
                await PushImageAsync(host.Client, repo, $"t{i}", seed: worker * 100 + i + 1);
                pushed.Add((repo, $"t{i}"));
            }
        })).ToList();

        var collections = 0;
        var collected = new HashSet<string>();
        while (pushers.Any(p => !p.IsCompleted) || collections < 2)
        {
            var result = await new GarbageCollector(host.Driver).RunAsync(new GarbageCollectionOptions { Grace = TimeSpan.FromSeconds(30), Parallelism = 4 }, CancellationToken.None);
            collected.UnionWith(result.Blobs.Select(b => b.Digest));
            collections++;
        }

        await Task.WhenAll(pushers);
        collections.ShouldBeGreaterThanOrEqualTo(2);
        collected.ShouldContain(garbage);
        pushed.Count.ShouldBe(160);
        foreach (var (repo, tag) in pushed)
        {
            await AssertCompleteAsync(host.Client, repo, tag);
        }

        await using var driver = RegistryHost.Filesystem(root);
        var verified = await new RegistryVerifier(driver).RunAsync(new VerificationOptions(), CancellationToken.None);
        verified.Problems.Where(p => p.IsError).ShouldBeEmpty();
    }
}
