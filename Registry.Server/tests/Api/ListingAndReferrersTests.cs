using System.Net;
using System.Text.Json;
using Registry.Server.Tests.Infrastructure;
using static Registry.Server.Tests.Infrastructure.RegistryApi;

namespace Registry.Server.Tests.Api;

public sealed class ListingAndReferrersTests
{
    private static async Task<string> TagAllAsync(RegistryHost host, string repo, params string[] tags)
    {
        var manifest = await PushImageBlobsAsync(host.Client, repo);
        foreach (var tag in tags)
        {
            using var put = await PutManifestAsync(host.Client, repo, tag, manifest, OciManifest);
            put.StatusCode.ShouldBe(HttpStatusCode.Created);
        }

        return Sha256(manifest);
    }

    [Test]
    public async Task Tags_list_is_sorted_and_paginates_with_n_last_and_link()
    {
        await using var host = await RegistryHost.StartInMemoryAsync();
        await TagAllAsync(host, "t", "c", "a", "b", "d", "e");
        (await host.Client.GetStringAsync("/v2/t/tags/list")).ShouldBe("""{"name":"t","tags":["a","b","c","d","e"]}""");

        using var page1 = await host.Client.GetAsync("/v2/t/tags/list?n=2");
        (await page1.Content.ReadAsStringAsync()).ShouldBe("""{"name":"t","tags":["a","b"]}""");
        var link = page1.Header("Link");
        link.ShouldEndWith("/v2/t/tags/list?n=2&last=b>; rel=\"next\"");
        var next = link[1..link.IndexOf('>', StringComparison.Ordinal)];

        using var page2 = await host.Client.GetAsync(next);
        (await page2.Content.ReadAsStringAsync()).ShouldBe("""{"name":"t","tags":["c","d"]}""");
        using var page3 = await host.Client.GetAsync("/v2/t/tags/list?n=2&last=d");
        (await page3.Content.ReadAsStringAsync()).ShouldBe("""{"name":"t","tags":["e"]}""");
        page3.Headers.Contains("Link").ShouldBeFalse();
        using var exact = await host.Client.GetAsync("/v2/t/tags/list?n=5");
        exact.Headers.Contains("Link").ShouldBeFalse();
        using var zero = await host.Client.GetAsync("/v2/t/tags/list?n=0");
        (await zero.Content.ReadAsStringAsync()).ShouldBe("""{"name":"t","tags":[]}""");
        using var afterAll = await host.Client.GetAsync("/v2/t/tags/list?last=e");
        (await afterAll.Content.ReadAsStringAsync()).ShouldBe("""{"name":"t","tags":[]}""");
    }

    [Test]
    public async Task Tags_list_of_an_unknown_repository_is_404_name_unknown_and_bad_n_is_400()
    {
        await using var host = await RegistryHost.StartInMemoryAsync();
        using var unknown = await host.Client.GetAsync("/v2/nothing/tags/list");
        await unknown.ShouldBeErrorAsync(HttpStatusCode.NotFound, "NAME_UNKNOWN");
        await TagAllAsync(host, "t", "a");
        using var bad = await host.Client.GetAsync("/v2/t/tags/list?n=-1");
        await bad.ShouldBeErrorAsync(HttpStatusCode.BadRequest, "PAGINATION_NUMBER_INVALID");
    }

    [Test]
    public async Task Catalog_lists_repositories_with_manifests_in_lexical_order_and_paginates()
    {
        await using var host = await RegistryHost.StartInMemoryAsync();
        foreach (var repo in new[] { "b", "a/x", "a-b", "a", "c/d/e" })
        {
            await TagAllAsync(host, repo, "v1");
        }

        await PushBlobAsync(host.Client, "onlyblobs", [1, 2, 3]);
        (await host.Client.GetStringAsync("/v2/_catalog")).ShouldBe("""{"repositories":["a","a-b","a/x","b","c/d/e"]}""");
        using var page1 = await host.Client.GetAsync("/v2/_catalog?n=2");
        (await page1.Content.ReadAsStringAsync()).ShouldBe("""{"repositories":["a","a-b"]}""");
        page1.Header("Link").ShouldEndWith("/v2/_catalog?n=2&last=a-b>; rel=\"next\"");
        using var page2 = await host.Client.GetAsync("/v2/_catalog?n=2&last=a-b");
        (await page2.Content.ReadAsStringAsync()).ShouldBe("""{"repositories":["a/x","b"]}""");
        using var page3 = await host.Client.GetAsync("/v2/_catalog?n=2&last=b");
        (await page3.Content.ReadAsStringAsync()).ShouldBe("""{"repositories":["c/d/e"]}""");
        page3.Headers.Contains("Link").ShouldBeFalse();
        using var bad = await host.Client.GetAsync("/v2/_catalog?n=abc");
        await bad.ShouldBeErrorAsync(HttpStatusCode.BadRequest, "PAGINATION_NUMBER_INVALID");
    }

    [Test]
    public async Task Catalog_of_an_empty_registry_is_empty()
    {
        await using var host = await RegistryHost.StartInMemoryAsync();
        (await host.Client.GetStringAsync("/v2/_catalog")).ShouldBe("""{"repositories":[]}""");
    }

    [Test]
    public async Task Referrers_list_manifests_with_a_subject_filter_by_artifact_type_and_set_oci_subject()
    {
        await using var host = await RegistryHost.StartInMemoryAsync();
        var subject = await TagAllAsync(host, "ref", "v1");
        var subjectSize = (await host.Client.GetByteArrayAsync("/v2/ref/manifests/v1")).Length;
        var descriptor = new { mediaType = OciManifest, digest = subject, size = subjectSize };
        var sbom = await PushImageBlobsAsync(host.Client, "ref", layers: 1, seed: 7, subject: descriptor, artifactType: "application/vnd.example.sbom");
        var signature = await PushImageBlobsAsync(host.Client, "ref", layers: 1, seed: 8, subject: descriptor, artifactType: "application/vnd.example.sig");
        foreach (var manifest in new[] { sbom, signature })
        {
            using var put = await PutManifestAsync(host.Client, "ref", Sha256(manifest), manifest, OciManifest);
            put.StatusCode.ShouldBe(HttpStatusCode.Created);
            put.Header("OCI-Subject").ShouldBe(subject);
        }

        using var all = await host.Client.GetAsync($"/v2/ref/referrers/{subject}");
        all.StatusCode.ShouldBe(HttpStatusCode.OK);
        all.Content.Headers.ContentType!.MediaType.ShouldBe(OciIndex);
        all.Headers.Contains("OCI-Filters-Applied").ShouldBeFalse();
        using (var doc = JsonDocument.Parse(await all.Content.ReadAsStringAsync()))
        {
            doc.RootElement.GetProperty("schemaVersion").GetInt32().ShouldBe(2);
            var entries = doc.RootElement.GetProperty("manifests").EnumerateArray().ToList();
            entries.Select(e => e.GetProperty("digest").GetString()).OrderBy(d => d, StringComparer.Ordinal)
                .ShouldBe(new[] { Sha256(sbom), Sha256(signature) }.OrderBy(d => d, StringComparer.Ordinal));
            entries.Single(e => e.GetProperty("digest").GetString() == Sha256(sbom)).GetProperty("size").GetInt64().ShouldBe(sbom.Length);
        }

        using var filtered = await host.Client.GetAsync($"/v2/ref/referrers/{subject}?artifactType=application/vnd.example.sig");
        filtered.Header("OCI-Filters-Applied").ShouldBe("artifactType");
        using (var doc = JsonDocument.Parse(await filtered.Content.ReadAsStringAsync()))
        {
            var entry = doc.RootElement.GetProperty("manifests").EnumerateArray().Single();
            entry.GetProperty("digest").GetString().ShouldBe(Sha256(signature));
            entry.GetProperty("artifactType").GetString().ShouldBe("application/vnd.example.sig");
        }
    }

    [Test]
    public async Task Referrers_of_an_unknown_subject_is_an_empty_index_and_a_bad_digest_is_400()
    {
        await using var host = await RegistryHost.StartInMemoryAsync();
        using var empty = await host.Client.GetAsync($"/v2/none/referrers/sha256:{new string('4', 64)}");
        empty.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await empty.Content.ReadAsStringAsync()).ShouldBe($$"""{"schemaVersion":2,"mediaType":"{{OciIndex}}","manifests":[]}""");
        using var bad = await host.Client.GetAsync("/v2/none/referrers/sha256:xyz");
        await bad.ShouldBeErrorAsync(HttpStatusCode.BadRequest, "DIGEST_INVALID");
    }
}
