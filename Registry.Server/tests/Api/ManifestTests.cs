using System.Net;
using System.Text;
using System.Text.Json;
using Registry.Server.Tests.Infrastructure;
using static Registry.Server.Tests.Infrastructure.RegistryApi;

namespace Registry.Server.Tests.Api;

public sealed class ManifestTests
{
    [Test]
    public async Task Oci_manifest_put_by_tag_is_served_by_tag_and_digest_with_its_media_type()
    {
        await using var host = await RegistryHost.StartInMemoryAsync();
        var manifest = await PushImageBlobsAsync(host.Client, "img");
        using var put = await PutManifestAsync(host.Client, "img", "v1", manifest, OciManifest);
        put.StatusCode.ShouldBe(HttpStatusCode.Created, await put.Content.ReadAsStringAsync());
        put.Header("Docker-Content-Digest").ShouldBe(Sha256(manifest));
        put.Headers.Location!.AbsolutePath.ShouldBe($"/v2/img/manifests/{Sha256(manifest)}");

        foreach (var reference in new[] { "v1", Sha256(manifest) })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/v2/img/manifests/{reference}");
            request.Headers.TryAddWithoutValidation("Accept", $"{OciManifest}, {OciIndex}");
            using var get = await host.Client.SendAsync(request);
            get.StatusCode.ShouldBe(HttpStatusCode.OK);
            get.Content.Headers.ContentType!.MediaType.ShouldBe(OciManifest);
            get.Header("Docker-Content-Digest").ShouldBe(Sha256(manifest));
            (await get.Content.ReadAsByteArrayAsync()).ShouldBe(manifest);

            using var head = await host.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/v2/img/manifests/{reference}"));
            head.StatusCode.ShouldBe(HttpStatusCode.OK);
            head.Content.Headers.ContentLength.ShouldBe(manifest.Length);
            head.Header("Docker-Content-Digest").ShouldBe(Sha256(manifest));
        }
    }

    [Test]
    public async Task Docker_schema2_manifest_and_manifest_list_round_trip()
    {
        await using var host = await RegistryHost.StartInMemoryAsync();
        var manifest = await PushImageBlobsAsync(host.Client, "d", mediaType: DockerManifest);
        using (var put = await PutManifestAsync(host.Client, "d", "amd64", manifest, DockerManifest))
        {
            put.StatusCode.ShouldBe(HttpStatusCode.Created);
        }

        var list = JsonSerializer.SerializeToUtf8Bytes(new
        {
            schemaVersion = 2,
            mediaType = DockerList,
            manifests = new[] { new { mediaType = DockerManifest, digest = Sha256(manifest), size = manifest.Length, platform = new { architecture = "amd64", os = "linux" } } },
        });
        using (var put = await PutManifestAsync(host.Client, "d", "latest", list, DockerList))
        {
            put.StatusCode.ShouldBe(HttpStatusCode.Created);
        }

        using var get = await host.Client.GetAsync("/v2/d/manifests/latest");
        get.Content.Headers.ContentType!.MediaType.ShouldBe(DockerList);
        (await get.Content.ReadAsByteArrayAsync()).ShouldBe(list);
        using var child = await host.Client.GetAsync("/v2/d/manifests/amd64");
        child.Content.Headers.ContentType!.MediaType.ShouldBe(DockerManifest);
    }

    [Test]
    public async Task Manifest_referencing_an_unknown_blob_is_400_manifest_blob_unknown_and_not_stored()
    {
        await using var host = await RegistryHost.StartInMemoryAsync();
        var manifest = Encoding.UTF8.GetBytes($$"""
            {"schemaVersion":2,"mediaType":"{{OciManifest}}","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:{{new string('1', 64)}}","size":2},"layers":[]}
            """);
        using var put = await PutManifestAsync(host.Client, "m", "v1", manifest, OciManifest);
        await put.ShouldBeErrorAsync(HttpStatusCode.BadRequest, "MANIFEST_BLOB_UNKNOWN");
        using var get = await host.Client.GetAsync($"/v2/m/manifests/{Sha256(manifest)}");
        get.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Test]
    public async Task Index_referencing_an_unknown_manifest_is_400_manifest_blob_unknown()
    {
        await using var host = await RegistryHost.StartInMemoryAsync();
        var index = JsonSerializer.SerializeToUtf8Bytes(new
        {
            schemaVersion = 2,
            mediaType = OciIndex,
            manifests = new[] { new { mediaType = OciManifest, digest = "sha256:" + new string('2', 64), size = 10 } },
        });
        using var put = await PutManifestAsync(host.Client, "i", "v1", index, OciIndex);
        await put.ShouldBeErrorAsync(HttpStatusCode.BadRequest, "MANIFEST_BLOB_UNKNOWN");
    }

    [Test]
    public async Task Schema1_manifests_are_refused_with_manifest_invalid()
    {
        await using var host = await RegistryHost.StartInMemoryAsync();
        var schema1 = Encoding.UTF8.GetBytes("""{"schemaVersion":1,"name":"s","tag":"v1","architecture":"amd64","fsLayers":[],"history":[]}""");
        using var put = await PutManifestAsync(host.Client, "s", "v1", schema1, "application/vnd.docker.distribution.manifest.v1+prettyjws");
        await put.ShouldBeErrorAsync(HttpStatusCode.BadRequest, "MANIFEST_INVALID");
    }

    [TestCase("not json")]
    [TestCase("[1,2]")]
    [TestCase("""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","layers":[]}""")]
    [TestCase("""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"digest":"sha256:../../x","size":1},"layers":[]}""")]
    public async Task Malformed_manifests_are_400_manifest_invalid(string body)
    {
        await using var host = await RegistryHost.StartInMemoryAsync();
        using var put = await PutManifestAsync(host.Client, "bad", "v1", Encoding.UTF8.GetBytes(body), OciManifest);
        await put.ShouldBeErrorAsync(HttpStatusCode.BadRequest, "MANIFEST_INVALID");
    }

    [Test]
    public async Task Content_type_that_contradicts_the_media_type_is_refused()
    {
        await using var host = await RegistryHost.StartInMemoryAsync();
        var manifest = await PushImageBlobsAsync(host.Client, "ct");
        using var put = await PutManifestAsync(host.Client, "ct", "v1", manifest, DockerManifest);
        await put.ShouldBeErrorAsync(HttpStatusCode.BadRequest, "MANIFEST_INVALID");
    }

    [Test]
    public async Task Put_by_digest_checks_the_digest_and_accepts_sha512()
    {
        await using var host = await RegistryHost.StartInMemoryAsync();
        var manifest = await PushImageBlobsAsync(host.Client, "pd");
        using var wrong = await PutManifestAsync(host.Client, "pd", "sha256:" + new string('3', 64), manifest, OciManifest);
        await wrong.ShouldBeErrorAsync(HttpStatusCode.BadRequest, "DIGEST_INVALID");
        using var sha512 = await PutManifestAsync(host.Client, "pd", Sha512(manifest), manifest, OciManifest);
        sha512.StatusCode.ShouldBe(HttpStatusCode.Created);
        sha512.Header("Docker-Content-Digest").ShouldBe(Sha512(manifest));
        using var get = await host.Client.GetAsync($"/v2/pd/manifests/{Sha512(manifest)}");
        (await get.Content.ReadAsByteArrayAsync()).ShouldBe(manifest);
    }

    [Test]
    public async Task Manifest_over_4_MiB_is_413()
    {
        await using var host = await RegistryHost.StartInMemoryAsync();
        var big = new byte[4 * 1024 * 1024 + 1];
        using var put = await PutManifestAsync(host.Client, "big", "v1", big, OciManifest);
        await put.ShouldBeErrorAsync(HttpStatusCode.RequestEntityTooLarge, "SIZE_INVALID");
    }

    [Test]
    public async Task Unknown_tag_is_manifest_unknown_and_unknown_repository_is_name_unknown()
    {
        await using var host = await RegistryHost.StartInMemoryAsync();
        var manifest = await PushImageBlobsAsync(host.Client, "known");
        using (var put = await PutManifestAsync(host.Client, "known", "v1", manifest, OciManifest))
        {
            put.StatusCode.ShouldBe(HttpStatusCode.Created);
        }

        using var tag = await host.Client.GetAsync("/v2/known/manifests/v2");
        await tag.ShouldBeErrorAsync(HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
        using var repo = await host.Client.GetAsync("/v2/unknown/manifests/v1");
        await repo.ShouldBeErrorAsync(HttpStatusCode.NotFound, "NAME_UNKNOWN");
        using var invalidTag = await host.Client.GetAsync("/v2/known/manifests/-bad");
        await invalidTag.ShouldBeErrorAsync(HttpStatusCode.BadRequest, "MANIFEST_INVALID");
    }

    [Test]
    public async Task Accept_header_listing_other_manifest_types_only_gets_404()
    {
        await using var host = await RegistryHost.StartInMemoryAsync();
        var manifest = await PushImageBlobsAsync(host.Client, "n");
        using (var put = await PutManifestAsync(host.Client, "n", "v1", manifest, OciManifest))
        {
            put.StatusCode.ShouldBe(HttpStatusCode.Created);
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, "/v2/n/manifests/v1");
        request.Headers.TryAddWithoutValidation("Accept", DockerManifest);
        using var refused = await host.Client.SendAsync(request);
        await refused.ShouldBeErrorAsync(HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");

        using var any = new HttpRequestMessage(HttpMethod.Get, "/v2/n/manifests/v1");
        any.Headers.TryAddWithoutValidation("Accept", "*/*");
        using var served = await host.Client.SendAsync(any);
        served.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Test]
    public async Task Delete_by_digest_removes_the_revision_and_its_tags_delete_by_tag_removes_only_the_tag()
    {
        await using var host = await RegistryHost.StartInMemoryAsync(new RegistryServerOptions { DeleteEnabled = true });
        var first = await PushImageBlobsAsync(host.Client, "del", seed: 1);
        var second = await PushImageBlobsAsync(host.Client, "del", seed: 2);
        (await PutManifestAsync(host.Client, "del", "a", first, OciManifest)).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await PutManifestAsync(host.Client, "del", "b", first, OciManifest)).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await PutManifestAsync(host.Client, "del", "c", second, OciManifest)).StatusCode.ShouldBe(HttpStatusCode.Created);

        using var byDigest = await host.Client.DeleteAsync($"/v2/del/manifests/{Sha256(first)}");
        byDigest.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        (await host.Client.GetAsync($"/v2/del/manifests/{Sha256(first)}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await host.Client.GetAsync("/v2/del/manifests/a")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await host.Client.GetStringAsync("/v2/del/tags/list")).ShouldBe("""{"name":"del","tags":["c"]}""");

        using var byTag = await host.Client.DeleteAsync("/v2/del/manifests/c");
        byTag.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        (await host.Client.GetAsync("/v2/del/manifests/c")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await host.Client.GetAsync($"/v2/del/manifests/{Sha256(second)}")).StatusCode.ShouldBe(HttpStatusCode.OK);

        using var again = await host.Client.DeleteAsync($"/v2/del/manifests/{Sha256(first)}");
        await again.ShouldBeErrorAsync(HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
    }

    [Test]
    public async Task Manifest_delete_is_405_unsupported_when_delete_is_disabled()
    {
        await using var host = await RegistryHost.StartInMemoryAsync(new RegistryServerOptions());
        var manifest = await PushImageBlobsAsync(host.Client, "nd");
        (await PutManifestAsync(host.Client, "nd", "v1", manifest, OciManifest)).StatusCode.ShouldBe(HttpStatusCode.Created);
        using var delete = await host.Client.DeleteAsync($"/v2/nd/manifests/{Sha256(manifest)}");
        await delete.ShouldBeErrorAsync(HttpStatusCode.MethodNotAllowed, "UNSUPPORTED");
        (await host.Client.GetAsync("/v2/nd/manifests/v1")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Test]
    public async Task Retagging_moves_current_and_keeps_an_index_entry_per_revision()
    {
        await using var host = await RegistryHost.StartInMemoryAsync();
        var first = await PushImageBlobsAsync(host.Client, "rt", seed: 1);
        var second = await PushImageBlobsAsync(host.Client, "rt", seed: 2);
        (await PutManifestAsync(host.Client, "rt", "v", first, OciManifest)).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await PutManifestAsync(host.Client, "rt", "v", second, OciManifest)).StatusCode.ShouldBe(HttpStatusCode.Created);
        using var get = await host.Client.GetAsync("/v2/rt/manifests/v");
        get.Header("Docker-Content-Digest").ShouldBe(Sha256(second));
        var index = await host.Driver.ListSortedAsync("/docker/registry/v2/repositories/rt/_manifests/tags/v/index/sha256");
        index.Select(p => "sha256:" + p[(p.LastIndexOf('/') + 1)..]).OrderBy(x => x, StringComparer.Ordinal)
            .ShouldBe(new[] { Sha256(first), Sha256(second) }.OrderBy(x => x, StringComparer.Ordinal));
    }
}
