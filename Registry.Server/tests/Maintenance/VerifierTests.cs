using System.Net;
using System.Text;
using Registry.Server.Maintenance;
using Registry.Server.Tests.Infrastructure;

namespace Registry.Server.Tests.Maintenance;

/// <summary><see cref="RegistryVerifier"/> over a filesystem tree this server wrote, damaged in the ways operators meet.</summary>
public sealed class VerifierTests
{
    private TempDirectory _temp = null!;
    private string _root = null!;
    private string _layer = null!;
    private string _manifest = null!;

    [SetUp]
    public async Task SetUp()
    {
        _temp = new TempDirectory();
        _root = _temp.Sub("storage");
        await using var host = await RegistryHost.StartAsync(RegistryHost.Filesystem(_root));
        var manifest = await RegistryApi.PushImageBlobsAsync(host.Client, "lib/app", layers: 2, seed: 7);
        (await RegistryApi.PutManifestAsync(host.Client, "lib/app", "v1", manifest, RegistryApi.OciManifest)).StatusCode.ShouldBe(HttpStatusCode.Created);
        _manifest = RegistryApi.Sha256(manifest);
        var other = await RegistryApi.PushImageBlobsAsync(host.Client, "lib/other", layers: 1, seed: 8);
        (await RegistryApi.PutManifestAsync(host.Client, "lib/other", "latest", other, RegistryApi.OciManifest)).StatusCode.ShouldBe(HttpStatusCode.Created);
        _layer = System.Text.Json.JsonDocument.Parse(manifest).RootElement.GetProperty("layers")[0].GetProperty("digest").GetString()!;
    }

    [TearDown]
    public void TearDown() => _temp.Dispose();

    private string Data(string digest) => Path.Combine(_root, "docker/registry/v2/blobs/sha256", digest[7..9], digest[7..], "data");

    private async Task<VerificationResult> VerifyAsync(params string[] repositories)
    {
        await using var driver = RegistryHost.Filesystem(_root);
        return await new RegistryVerifier(driver).RunAsync(new VerificationOptions { Repositories = repositories, Parallelism = 3 }, CancellationToken.None);
    }

    [Test]
    public async Task A_clean_tree_passes()
    {
        var result = await VerifyAsync();
        result.Problems.ShouldBeEmpty();
        result.BlobsHashed.ShouldBe(7); // 2 manifests, 2 configs, 3 layers
        result.ManifestsChecked.ShouldBe(2);
        result.Repositories.ShouldBe(2);
    }

    [Test]
    public async Task A_flipped_byte_in_a_layer_is_named()
    {
        var bytes = await File.ReadAllBytesAsync(Data(_layer));
        bytes[bytes.Length / 2] ^= 0x01;
        await File.WriteAllBytesAsync(Data(_layer), bytes);

        var result = await VerifyAsync();
        var problem = result.Problems.ShouldHaveSingleItem();
        problem.Kind.ShouldBe("digest-mismatch");
        problem.IsError.ShouldBeTrue();
        problem.Path.ShouldBe($"/docker/registry/v2/blobs/sha256/{_layer[7..9]}/{_layer[7..]}/data");
        problem.Detail.ShouldContain($"not {_layer}");
    }

    [Test]
    public async Task A_deleted_blob_under_a_live_link_is_named()
    {
        Directory.Delete(Path.GetDirectoryName(Data(_layer))!, recursive: true);

        var result = await VerifyAsync();
        var problem = result.Problems.ShouldHaveSingleItem();
        problem.Kind.ShouldBe("dangling-link");
        problem.Path.ShouldBe($"/docker/registry/v2/repositories/lib/app/_layers/sha256/{_layer[7..]}/link");
        problem.Detail.ShouldContain(_layer);
    }

    [Test]
    public async Task A_tag_linking_a_missing_revision_is_named_and_only_the_named_repository_is_checked()
    {
        var missing = RegistryApi.Sha256(Encoding.UTF8.GetBytes("never pushed"));
        await File.WriteAllTextAsync(Path.Combine(_root, "docker/registry/v2/repositories/lib/app/_manifests/tags/v1/current/link"), missing);

        var result = await VerifyAsync("lib/app");
        var problem = result.Problems.ShouldHaveSingleItem();
        problem.Kind.ShouldBe("missing-revision");
        problem.Path.ShouldBe("/docker/registry/v2/repositories/lib/app/_manifests/tags/v1/current/link");
        problem.Detail.ShouldContain(missing);
        result.Repositories.ShouldBe(1);
        result.BlobsHashed.ShouldBe(4); // lib/app's manifest, config, 2 layers

        (await VerifyAsync("lib/other")).Problems.ShouldBeEmpty();
    }

    [Test]
    public async Task An_unlinked_blob_is_a_notice_not_an_error()
    {
        await using (var driver = RegistryHost.Filesystem(_root))
        {
            await driver.PutContentAsync($"/docker/registry/v2/blobs/sha256/{RegistryApi.Sha256([1, 2, 3])[7..9]}/{RegistryApi.Sha256([1, 2, 3])[7..]}/data", new byte[] { 1, 2, 3 });
        }

        var result = await VerifyAsync();
        var problem = result.Problems.ShouldHaveSingleItem();
        problem.Kind.ShouldBe("orphaned-blob");
        problem.IsError.ShouldBeFalse();
        result.HasErrors.ShouldBeFalse();
    }
}
