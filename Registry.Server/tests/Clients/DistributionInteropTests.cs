using Registry.Server.Tests.Infrastructure;

namespace Registry.Server.Tests.Clients;

/// <summary>
/// The same filesystem tree served by Go distribution 2.8.2 and by this server: an image pushed
/// through one is pulled through the other with equal digests, both ways.
/// </summary>
[NonParallelizable]
public sealed class DistributionInteropTests
{
    private TempDirectory _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempDirectory();

    [TearDown]
    public void TearDown() => _temp.Dispose();

    [Test]
    public async Task Image_pushed_through_distribution_is_pulled_through_this_server()
    {
        var skopeo = ExternalTool.Require("skopeo");
        var root = _temp.Sub("storage");
        var image = OciImageLayout.Write(_temp.Sub("oci"), "v1", seed: 5, 400_000, 90_000, 5_000);
        await using (var distribution = await DistributionRegistry.StartAsync(root, _temp.Path))
        {
            await ExternalTool.RunOkAsync(skopeo, "copy", "--dest-tls-verify=false", image.Reference, $"docker://{distribution.Authority}/interop/from-go:v1");
        }

        await using var host = await RegistryHost.StartAsync(RegistryHost.Filesystem(root));
        var pulled = _temp.Sub("pulled");
        await ExternalTool.RunOkAsync(skopeo, "copy", "--src-tls-verify=false", $"docker://{host.Authority}/interop/from-go:v1", $"dir:{pulled}");
        SkopeoTests.AssertPulled(pulled, image.ManifestDigest, image.Blobs);
        (await host.Client.GetStringAsync("/v2/interop/from-go/tags/list")).ShouldBe("""{"name":"interop/from-go","tags":["v1"]}""");
        (await host.Client.GetStringAsync("/v2/_catalog")).ShouldBe("""{"repositories":["interop/from-go"]}""");
    }

    [Test]
    public async Task Image_pushed_through_this_server_is_pulled_through_distribution()
    {
        var skopeo = ExternalTool.Require("skopeo");
        var root = _temp.Sub("storage");
        var image = OciImageLayout.Write(_temp.Sub("oci"), "v1", seed: 6, 250_000, 30_000);
        string schema2Digest;
        await using (var host = await RegistryHost.StartAsync(RegistryHost.Filesystem(root)))
        {
            await ExternalTool.RunOkAsync(skopeo, "copy", "--dest-tls-verify=false", image.Reference, $"docker://{host.Authority}/interop/from-dotnet:v1");
            await ExternalTool.RunOkAsync(skopeo, "copy", "--format", "v2s2", "--dest-tls-verify=false", image.Reference, $"docker://{host.Authority}/interop/from-dotnet:v2s2");
            using var head = new HttpRequestMessage(HttpMethod.Head, "/v2/interop/from-dotnet/manifests/v2s2");
            head.Headers.TryAddWithoutValidation("Accept", RegistryApi.DockerManifest);
            using var response = await host.Client.SendAsync(head);
            schema2Digest = response.Header("Docker-Content-Digest");
        }

        await using var distribution = await DistributionRegistry.StartAsync(root, _temp.Path);
        var pulled = _temp.Sub("pulled");
        await ExternalTool.RunOkAsync(skopeo, "copy", "--src-tls-verify=false", $"docker://{distribution.Authority}/interop/from-dotnet:v1", $"dir:{pulled}");
        SkopeoTests.AssertPulled(pulled, image.ManifestDigest, image.Blobs);

        var pulledV2 = _temp.Sub("pulled-v2s2");
        await ExternalTool.RunOkAsync(skopeo, "copy", "--src-tls-verify=false", $"docker://{distribution.Authority}/interop/from-dotnet:v2s2", $"dir:{pulledV2}");
        SkopeoTests.AssertPulled(pulledV2, schema2Digest, image.LayerDigests.ToDictionary(d => d, d => image.Blobs[d]));
        var tags = await ExternalTool.RunOkAsync(skopeo, "list-tags", "--tls-verify=false", $"docker://{distribution.Authority}/interop/from-dotnet");
        tags.ShouldContain("\"v1\"");
        tags.ShouldContain("\"v2s2\"");
    }

    [Test]
    public async Task Distributions_garbage_collector_reads_this_servers_tree_keeps_what_is_referenced_and_removes_what_was_deleted()
    {
        var skopeo = ExternalTool.Require("skopeo");
        var root = _temp.Sub("storage");
        var kept = OciImageLayout.Write(_temp.Sub("kept"), "v1", seed: 7, 120_000, 3_000);
        var dropped = OciImageLayout.Write(_temp.Sub("dropped"), "v1", seed: 8, 90_000);
        await using (var host = await RegistryHost.StartAsync(RegistryHost.Filesystem(root), new RegistryServerOptions { DeleteEnabled = true }))
        {
            await ExternalTool.RunOkAsync(skopeo, "copy", "--dest-tls-verify=false", kept.Reference, $"docker://{host.Authority}/gc/kept:v1");
            await ExternalTool.RunOkAsync(skopeo, "copy", "--dest-tls-verify=false", dropped.Reference, $"docker://{host.Authority}/gc/dropped:v1");
            await ExternalTool.RunOkAsync(skopeo, "delete", "--tls-verify=false", $"docker://{host.Authority}/gc/dropped:v1");
        }

        var output = await DistributionRegistry.GarbageCollectAsync(root, _temp.Path);
        output.ShouldContain("blob eligible for deletion");

        string BlobData(string digest) => Path.Combine(root, "docker/registry/v2/blobs/sha256", digest[7..9], digest[7..], "data");
        File.Exists(BlobData(dropped.LayerDigests[0])).ShouldBeFalse(output);
        File.Exists(BlobData(dropped.ManifestDigest)).ShouldBeFalse(output);
        foreach (var digest in kept.Blobs.Keys)
        {
            File.Exists(BlobData(digest)).ShouldBeTrue($"{digest} was collected\n{output}");
        }

        await using var after = await RegistryHost.StartAsync(RegistryHost.Filesystem(root));
        var pulled = _temp.Sub("pulled");
        await ExternalTool.RunOkAsync(skopeo, "copy", "--src-tls-verify=false", $"docker://{after.Authority}/gc/kept:v1", $"dir:{pulled}");
        SkopeoTests.AssertPulled(pulled, kept.ManifestDigest, kept.Blobs);
    }
}
