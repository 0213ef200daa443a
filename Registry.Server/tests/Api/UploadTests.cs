using System.Net;
using System.Net.Http.Headers;
using Registry.Server.Tests.Infrastructure;
using static Registry.Server.Tests.Infrastructure.RegistryApi;

namespace Registry.Server.Tests.Api;

public sealed class UploadTests
{
    internal static async Task<Uri> StartUploadAsync(HttpClient client, string repo)
    {
        using var empty = new ByteArrayContent([]);
        using var response = await client.PostAsync($"/v2/{repo}/blobs/uploads/", empty);
        response.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        response.Header("Range").ShouldBe("0-0");
        response.Header("Docker-Upload-UUID").ShouldNotBeNullOrEmpty();
        response.Content.Headers.ContentLength.ShouldBe(0);
        return response.Headers.Location!;
    }

    internal static async Task<HttpResponseMessage> PatchAsync(HttpClient client, Uri location, byte[] chunk, long? start)
    {
        var request = new HttpRequestMessage(HttpMethod.Patch, location) { Content = new ByteArrayContent(chunk) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        if (start is { } s)
        {
            request.Content.Headers.TryAddWithoutValidation("Content-Range", $"{s}-{s + chunk.Length - 1}");
        }

        return await client.SendAsync(request);
    }

    internal static async Task<HttpResponseMessage> PutAsync(HttpClient client, Uri location, string digest, byte[]? body = null)
    {
        var separator = location.Query.Length > 0 ? "&" : "?";
        var request = new HttpRequestMessage(HttpMethod.Put, location + separator + "digest=" + digest) { Content = new ByteArrayContent(body ?? []) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return await client.SendAsync(request);
    }

    [Test]
    public async Task Post_then_put_with_the_whole_body_creates_the_blob()
    {
        await using var host = await RegistryHost.StartInMemoryAsync();
        var content = RandomBytes(70_000, 10);
        var location = await StartUploadAsync(host.Client, "p");
        location.IsAbsoluteUri.ShouldBeTrue();
        using var put = await PutAsync(host.Client, location, Sha256(content), content);
        put.StatusCode.ShouldBe(HttpStatusCode.Created);
        put.Header("Docker-Content-Digest").ShouldBe(Sha256(content));
        put.Headers.Location!.AbsolutePath.ShouldBe($"/v2/p/blobs/{Sha256(content)}");
        using var get = await host.Client.GetAsync($"/v2/p/blobs/{Sha256(content)}");
        (await get.Content.ReadAsByteArrayAsync()).ShouldBe(content);
    }

    [Test]
    public async Task Chunked_patches_with_content_range_then_put_creates_the_blob_and_report_the_range()
    {
        await using var host = await RegistryHost.StartInMemoryAsync();
        var content = RandomBytes(300_000, 11);
        var location = await StartUploadAsync(host.Client, "c");
        long offset = 0;
        foreach (var size in new[] { 100_000, 150_000, 50_000 })
        {
            using var patch = await PatchAsync(host.Client, location, content.AsSpan((int)offset, size).ToArray(), offset);
            patch.StatusCode.ShouldBe(HttpStatusCode.Accepted);
            offset += size;
            patch.Header("Range").ShouldBe($"0-{offset - 1}");
            patch.Header("Docker-Upload-UUID").ShouldNotBeNullOrEmpty();
            location = patch.Headers.Location!;
        }

        using var status = await host.Client.GetAsync(location);
        status.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        status.Header("Range").ShouldBe("0-299999");

        using var put = await PutAsync(host.Client, location, Sha256(content));
        put.StatusCode.ShouldBe(HttpStatusCode.Created);
        using var get = await host.Client.GetAsync($"/v2/c/blobs/{Sha256(content)}");
        (await get.Content.ReadAsByteArrayAsync()).ShouldBe(content);

        using var gone = await host.Client.GetAsync(location);
        await gone.ShouldBeErrorAsync(HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
    }

    [Test]
    public async Task Streamed_patch_without_content_range_then_put_with_a_last_chunk()
    {
        await using var host = await RegistryHost.StartInMemoryAsync();
        var content = RandomBytes(10_000, 12);
        var location = await StartUploadAsync(host.Client, "s");
        using var patch = await PatchAsync(host.Client, location, content[..6000], null);
        patch.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        using var put = await PutAsync(host.Client, patch.Headers.Location!, Sha256(content), content[6000..]);
        put.StatusCode.ShouldBe(HttpStatusCode.Created);
        using var get = await host.Client.GetAsync($"/v2/s/blobs/{Sha256(content)}");
        (await get.Content.ReadAsByteArrayAsync()).ShouldBe(content);
    }

    [Test]
    public async Task Out_of_order_chunk_is_416_with_the_current_range_and_changes_nothing()
    {
        await using var host = await RegistryHost.StartInMemoryAsync();
        var location = await StartUploadAsync(host.Client, "o");
        using (var first = await PatchAsync(host.Client, location, new byte[100], 0))
        {
            first.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        }

        using var skip = await PatchAsync(host.Client, location, new byte[100], 200);
        await skip.ShouldBeErrorAsync(HttpStatusCode.RequestedRangeNotSatisfiable, "BLOB_UPLOAD_INVALID");
        skip.Header("Range").ShouldBe("0-99");
        using var repeat = await PatchAsync(host.Client, location, new byte[100], 0);
        await repeat.ShouldBeErrorAsync(HttpStatusCode.RequestedRangeNotSatisfiable, "BLOB_UPLOAD_INVALID");
        using var status = await host.Client.GetAsync(location);
        status.Header("Range").ShouldBe("0-99");
    }

    [Test]
    public async Task Digest_mismatch_is_400_digest_invalid_and_nothing_becomes_visible()
    {
        await using var host = await RegistryHost.StartInMemoryAsync();
        var content = RandomBytes(1000, 13);
        var wrong = Sha256(RandomBytes(1000, 14));
        using (var body = new ByteArrayContent(content))
        {
            using var monolithic = await host.Client.PostAsync($"/v2/m/blobs/uploads/?digest={wrong}", body);
            await monolithic.ShouldBeErrorAsync(HttpStatusCode.BadRequest, "DIGEST_INVALID");
        }

        var location = await StartUploadAsync(host.Client, "m");
        using (var patch = await PatchAsync(host.Client, location, content, 0))
        {
            patch.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        }

        using var put = await PutAsync(host.Client, location, wrong);
        await put.ShouldBeErrorAsync(HttpStatusCode.BadRequest, "DIGEST_INVALID");
        foreach (var digest in new[] { wrong, Sha256(content) })
        {
            using var head = await host.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/v2/m/blobs/{digest}"));
            head.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        }

        (await host.Driver.WalkToListAsync("/")).Where(e => !e.IsDirectory).Select(e => e.Path).ShouldBeEmpty();
    }

    [Test]
    public async Task Put_without_digest_or_with_a_malformed_one_is_400_digest_invalid()
    {
        await using var host = await RegistryHost.StartInMemoryAsync();
        var location = await StartUploadAsync(host.Client, "x");
        using var request = new HttpRequestMessage(HttpMethod.Put, location) { Content = new ByteArrayContent([1]) };
        using var missing = await host.Client.SendAsync(request);
        await missing.ShouldBeErrorAsync(HttpStatusCode.BadRequest, "DIGEST_INVALID");
        using var malformed = await PutAsync(host.Client, location, "sha256:1234");
        await malformed.ShouldBeErrorAsync(HttpStatusCode.BadRequest, "DIGEST_INVALID");
    }

    [Test]
    public async Task Cancel_removes_the_upload()
    {
        await using var host = await RegistryHost.StartInMemoryAsync();
        var location = await StartUploadAsync(host.Client, "k");
        using (var patch = await PatchAsync(host.Client, location, new byte[10], 0))
        {
            patch.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        }

        using var cancel = await host.Client.DeleteAsync(location);
        cancel.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        using var status = await host.Client.GetAsync(location);
        await status.ShouldBeErrorAsync(HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
        using var patchAfter = await PatchAsync(host.Client, location, new byte[10], 10);
        await patchAfter.ShouldBeErrorAsync(HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
        (await host.Driver.WalkToListAsync("/")).Where(e => !e.IsDirectory).ShouldBeEmpty();
    }

    [TestCase("0b9e7d94-5e5e-4c4e-9a5e-3f7f4b1d2c11")]
    [TestCase("a%2F..%2Fb")]
    [TestCase("a.b")]
    public async Task Unknown_or_malformed_upload_id_is_404_blob_upload_unknown(string id)
    {
        await using var host = await RegistryHost.StartInMemoryAsync();
        using var response = await host.Client.GetAsync($"/v2/u/blobs/uploads/{id}");
        await response.ShouldBeErrorAsync(HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
    }

    [Test]
    public async Task Mount_from_another_repository_links_the_blob_with_201()
    {
        await using var host = await RegistryHost.StartInMemoryAsync();
        var digest = await PushBlobAsync(host.Client, "source/repo", RandomBytes(500, 15));
        using var empty = new ByteArrayContent([]);
        using var mount = await host.Client.PostAsync($"/v2/target/blobs/uploads/?mount={digest}&from=source/repo", empty);
        mount.StatusCode.ShouldBe(HttpStatusCode.Created);
        mount.Header("Docker-Content-Digest").ShouldBe(digest);
        mount.Headers.Location!.AbsolutePath.ShouldBe($"/v2/target/blobs/{digest}");
        using var head = await host.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/v2/target/blobs/{digest}"));
        head.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Test]
    public async Task Mount_without_from_links_a_blob_the_registry_holds()
    {
        await using var host = await RegistryHost.StartInMemoryAsync();
        var digest = await PushBlobAsync(host.Client, "elsewhere", RandomBytes(500, 16));
        using var empty = new ByteArrayContent([]);
        using var mount = await host.Client.PostAsync($"/v2/target/blobs/uploads/?mount={digest}", empty);
        mount.StatusCode.ShouldBe(HttpStatusCode.Created);
        using var head = await host.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/v2/target/blobs/{digest}"));
        head.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Test]
    public async Task Mount_of_a_blob_the_source_does_not_hold_falls_back_to_a_new_upload_202()
    {
        await using var host = await RegistryHost.StartInMemoryAsync();
        var digest = await PushBlobAsync(host.Client, "other", RandomBytes(500, 17));
        using var empty = new ByteArrayContent([]);
        using var mount = await host.Client.PostAsync($"/v2/target/blobs/uploads/?mount={digest}&from=nothere", empty);
        mount.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        mount.Header("Docker-Upload-UUID").ShouldNotBeNullOrEmpty();
        using var head = await host.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/v2/target/blobs/{digest}"));
        head.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        using var badFrom = await host.Client.PostAsync($"/v2/target/blobs/uploads/?mount={digest}&from=..%2Fx", empty);
        await badFrom.ShouldBeErrorAsync(HttpStatusCode.BadRequest, "NAME_INVALID");
        using var badDigest = await host.Client.PostAsync("/v2/target/blobs/uploads/?mount=sha256:zz", empty);
        await badDigest.ShouldBeErrorAsync(HttpStatusCode.BadRequest, "DIGEST_INVALID");
    }

    [Test]
    public async Task Content_length_that_does_not_match_the_content_range_is_refused()
    {
        await using var host = await RegistryHost.StartInMemoryAsync();
        var location = await StartUploadAsync(host.Client, "l");
        var request = new HttpRequestMessage(HttpMethod.Patch, location) { Content = new ByteArrayContent(new byte[10]) };
        request.Content.Headers.TryAddWithoutValidation("Content-Range", "0-19");
        using var response = await host.Client.SendAsync(request);
        await response.ShouldBeErrorAsync(HttpStatusCode.RequestedRangeNotSatisfiable, "BLOB_UPLOAD_INVALID");
    }
}
