using System.Globalization;
using System.Net;
using System.Text;
using Registry.Server.Tests.Infrastructure;
using static Registry.Server.Tests.Infrastructure.RegistryApi;

namespace Registry.Server.Tests.Api;

/// <summary>What a push leaves in storage: distribution 2.8's layout, path for path, link for link.</summary>
public sealed class LayoutTests
{
    private const string Root = "/docker/registry/v2";

    [Test]
    public async Task A_push_leaves_exactly_distributions_files_with_its_link_contents()
    {
        await using var host = await RegistryHost.StartInMemoryAsync();
        var manifest = await PushImageBlobsAsync(host.Client, "lib/app", layers: 1);
        using (var put = await PutManifestAsync(host.Client, "lib/app", "v1", manifest, OciManifest))
        {
            put.StatusCode.ShouldBe(HttpStatusCode.Created);
        }

        var config = Encoding.UTF8.GetBytes("""{"architecture":"amd64","os":"linux","seed":1}""");
        var layer = RandomBytes(1000, 100);
        var c = Sha256(config)[7..];
        var l = Sha256(layer)[7..];
        var m = Sha256(manifest)[7..];
        var files = (await host.Driver.WalkToListAsync("/docker")).Where(e => !e.IsDirectory).Select(e => e.Path).Order(StringComparer.Ordinal).ToList();
        var repo = $"{Root}/repositories/lib/app";
        files.ShouldBe(new[]
        {
            $"{Root}/blobs/sha256/{c[..2]}/{c}/data",
            $"{Root}/blobs/sha256/{l[..2]}/{l}/data",
            $"{Root}/blobs/sha256/{m[..2]}/{m}/data",
            $"{repo}/_layers/sha256/{c}/link",
            $"{repo}/_layers/sha256/{l}/link",
            $"{repo}/_manifests/revisions/sha256/{m}/link",
            $"{repo}/_manifests/tags/v1/current/link",
            $"{repo}/_manifests/tags/v1/index/sha256/{m}/link",
        }.Order(StringComparer.Ordinal));

        (await Text(host, $"{repo}/_layers/sha256/{l}/link")).ShouldBe("sha256:" + l);
        (await Text(host, $"{repo}/_manifests/revisions/sha256/{m}/link")).ShouldBe("sha256:" + m);
        (await Text(host, $"{repo}/_manifests/tags/v1/current/link")).ShouldBe("sha256:" + m);
        (await Text(host, $"{repo}/_manifests/tags/v1/index/sha256/{m}/link")).ShouldBe("sha256:" + m);
        (await host.Driver.GetContentAsync($"{Root}/blobs/sha256/{m[..2]}/{m}/data")).ShouldBe(manifest);
        (await host.Driver.GetContentAsync($"{Root}/blobs/sha256/{l[..2]}/{l}/data")).ShouldBe(layer);
    }

    [Test]
    public async Task An_upload_in_progress_is_data_and_an_rfc3339_startedat_under_uploads()
    {
        await using var host = await RegistryHost.StartInMemoryAsync();
        var location = await UploadTests.StartUploadAsync(host.Client, "up");
        var id = location.AbsolutePath[(location.AbsolutePath.LastIndexOf('/') + 1)..];
        Guid.TryParse(id, out _).ShouldBeTrue();
        using (var patch = await UploadTests.PatchAsync(host.Client, location, new byte[123], 0))
        {
            patch.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        }

        var startedAt = await Text(host, $"{Root}/repositories/up/_uploads/{id}/startedat");
        startedAt.ShouldMatch(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$");
        DateTimeOffset.Parse(startedAt, CultureInfo.InvariantCulture).ShouldBe(DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1));
        var writer = await host.Driver.WriterAsync($"{Root}/repositories/up/_uploads/{id}/data", append: true);
        await using (writer)
        {
            writer.Size.ShouldBe(123);
        }
    }

    [Test]
    public async Task Sha512_blobs_use_the_same_shape_under_their_algorithm_and_referrers_are_additive()
    {
        await using var host = await RegistryHost.StartInMemoryAsync();
        var content = RandomBytes(50, 101);
        var digest = await PushBlobAsync(host.Client, "s5", content, Sha512(content));
        var hex = digest[7..];
        (await host.Driver.GetContentAsync($"{Root}/blobs/sha512/{hex[..2]}/{hex}/data")).ShouldBe(content);
        (await Text(host, $"{Root}/repositories/s5/_layers/sha512/{hex}/link")).ShouldBe(digest);
    }

    private static async Task<string> Text(RegistryHost host, string path) => Encoding.UTF8.GetString(await host.Driver.GetContentAsync(path));
}
