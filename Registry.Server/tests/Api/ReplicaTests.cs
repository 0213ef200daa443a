using System.Net;
using Registry.Server.Tests.Infrastructure;
using static Registry.Server.Tests.Infrastructure.RegistryApi;

namespace Registry.Server.Tests.Api;

/// <summary>Two servers over one storage root are one registry: all upload state is in the driver.</summary>
public sealed class ReplicaTests
{
    [Test]
    public async Task A_chunked_upload_started_on_one_server_continues_on_another_and_completes_on_the_first()
    {
        using var temp = new TempDirectory();
        await using var one = await RegistryHost.StartAsync(RegistryHost.Filesystem(temp.Path));
        await using var two = await RegistryHost.StartAsync(RegistryHost.Filesystem(temp.Path));
        var content = RandomBytes(3 * 1024 * 1024 + 17, 200);

        var location = await UploadTests.StartUploadAsync(one.Client, "rep/lica");
        var path = location.PathAndQuery;
        using (var first = await UploadTests.PatchAsync(one.Client, new Uri(one.BaseAddress, path), content[..1_000_000], 0))
        {
            first.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        }

        using (var status = await two.Client.GetAsync(path))
        {
            status.StatusCode.ShouldBe(HttpStatusCode.NoContent);
            status.Header("Range").ShouldBe("0-999999");
        }

        using (var second = await UploadTests.PatchAsync(two.Client, new Uri(two.BaseAddress, path), content[1_000_000..], 1_000_000))
        {
            second.StatusCode.ShouldBe(HttpStatusCode.Accepted);
            second.Header("Range").ShouldBe($"0-{content.Length - 1}");
        }

        using (var put = await UploadTests.PutAsync(one.Client, new Uri(one.BaseAddress, path), Sha256(content)))
        {
            put.StatusCode.ShouldBe(HttpStatusCode.Created);
        }

        foreach (var host in new[] { one, two })
        {
            using var get = await host.Client.GetAsync($"/v2/rep/lica/blobs/{Sha256(content)}");
            (await get.Content.ReadAsByteArrayAsync()).ShouldBe(content);
        }

        var manifest = await PushImageBlobsAsync(two.Client, "rep/lica");
        (await PutManifestAsync(two.Client, "rep/lica", "v1", manifest, OciManifest)).StatusCode.ShouldBe(HttpStatusCode.Created);
        using var fromOne = await one.Client.GetAsync("/v2/rep/lica/manifests/v1");
        (await fromOne.Content.ReadAsByteArrayAsync()).ShouldBe(manifest);
    }

    [Test]
    public async Task Sixteen_clients_pushing_the_same_blob_at_once_leave_one_intact_blob()
    {
        await using var host = await RegistryHost.StartAsync(RegistryHost.Filesystem(new TempDirectory().Path));
        var content = RandomBytes(512 * 1024, 201);
        var pushes = Enumerable.Range(0, 16).Select(i => PushBlobAsync(host.Client, $"same/r{i % 4}", content));
        await Task.WhenAll(pushes);
        var hex = Sha256(content)[7..];
        var blobs = (await host.Driver.WalkToListAsync("/docker/registry/v2/blobs")).Where(e => !e.IsDirectory).ToList();
        blobs.Select(b => b.Path).ShouldBe([$"/docker/registry/v2/blobs/sha256/{hex[..2]}/{hex}/data"]);
        (await host.Driver.GetContentAsync(blobs[0].Path)).ShouldBe(content);
        (await host.Driver.WalkToListAsync("/docker/registry/v2/repositories")).Where(e => e.Path.Contains("_uploads/", StringComparison.Ordinal) && !e.IsDirectory).ShouldBeEmpty();
    }
}
