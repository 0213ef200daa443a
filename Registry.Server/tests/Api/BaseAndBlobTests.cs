using System.Net;
using System.Net.Http.Headers;
using Registry.Server.Tests.Infrastructure;
using static Registry.Server.Tests.Infrastructure.RegistryApi;

namespace Registry.Server.Tests.Api;

public sealed class BaseAndBlobTests
{
    [Test]
    public async Task Base_endpoint_answers_200_with_the_api_version_header()
    {
        await using var host = await RegistryHost.StartInMemoryAsync();
        using var response = await host.Client.GetAsync("/v2/");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Header("Docker-Distribution-API-Version").ShouldBe("registry/2.0");
        (await response.Content.ReadAsStringAsync()).ShouldBe("{}");
    }

    [Test]
    public async Task Unknown_path_is_404()
    {
        await using var host = await RegistryHost.StartInMemoryAsync();
        using var response = await host.Client.GetAsync("/v2/foo/bar/baz");
        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Test]
    public async Task Health_answers_200_with_an_empty_object()
    {
        await using var host = await RegistryHost.StartInMemoryAsync();
        using var response = await host.Client.GetAsync("/debug/health");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).ShouldBe("{}");
    }

    [Test]
    public async Task Blob_get_and_head_return_content_length_digest_and_bytes()
    {
        await using var host = await RegistryHost.StartInMemoryAsync();
        var content = RandomBytes(5000, 1);
        var digest = await PushBlobAsync(host.Client, "library/app", content);

        using var head = await host.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/v2/library/app/blobs/{digest}"));
        head.StatusCode.ShouldBe(HttpStatusCode.OK);
        head.Content.Headers.ContentLength.ShouldBe(5000);
        head.Header("Docker-Content-Digest").ShouldBe(digest);

        using var get = await host.Client.GetAsync($"/v2/library/app/blobs/{digest}");
        get.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await get.Content.ReadAsByteArrayAsync()).ShouldBe(content);
        get.Header("Docker-Content-Digest").ShouldBe(digest);
        get.Content.Headers.ContentType!.MediaType.ShouldBe("application/octet-stream");
    }

    [TestCase("bytes=10-19", 10, 10)]
    [TestCase("bytes=4990-", 4990, 10)]
    [TestCase("bytes=-7", 4993, 7)]
    [TestCase("bytes=4995-9999", 4995, 5)]
    public async Task Blob_range_get_answers_206_with_the_slice(string range, int start, int length)
    {
        await using var host = await RegistryHost.StartInMemoryAsync();
        var content = RandomBytes(5000, 2);
        var digest = await PushBlobAsync(host.Client, "r", content);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v2/r/blobs/{digest}");
        request.Headers.TryAddWithoutValidation("Range", range);
        using var response = await host.Client.SendAsync(request);
        response.StatusCode.ShouldBe(HttpStatusCode.PartialContent);
        response.Content.Headers.ContentRange!.ToString().ShouldBe($"bytes {start}-{start + length - 1}/5000");
        (await response.Content.ReadAsByteArrayAsync()).ShouldBe(content.AsSpan(start, length).ToArray());
    }

    [TestCase("bytes=5000-")]
    [TestCase("bytes=6000-7000")]
    [TestCase("bytes=20-10")]
    public async Task Unsatisfiable_range_is_416_with_content_range_and_an_error_body(string range)
    {
        await using var host = await RegistryHost.StartInMemoryAsync();
        var digest = await PushBlobAsync(host.Client, "r", RandomBytes(5000, 3));
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v2/r/blobs/{digest}");
        request.Headers.TryAddWithoutValidation("Range", range);
        using var response = await host.Client.SendAsync(request);
        await response.ShouldBeErrorAsync(HttpStatusCode.RequestedRangeNotSatisfiable, "RANGE_INVALID");
        response.Content.Headers.ContentRange!.ToString().ShouldBe("bytes */5000");
    }

    [Test]
    public async Task Unknown_blob_is_404_blob_unknown_and_a_blob_of_another_repository_is_not_visible()
    {
        await using var host = await RegistryHost.StartInMemoryAsync();
        var digest = await PushBlobAsync(host.Client, "a", RandomBytes(10, 4));
        using var other = await host.Client.GetAsync($"/v2/b/blobs/{digest}");
        await other.ShouldBeErrorAsync(HttpStatusCode.NotFound, "BLOB_UNKNOWN");
        using var missing = await host.Client.GetAsync($"/v2/a/blobs/sha256:{new string('0', 64)}");
        await missing.ShouldBeErrorAsync(HttpStatusCode.NotFound, "BLOB_UNKNOWN");
    }

    [TestCase("sha256:abc")]
    [TestCase("sha256:../../../../etc")]
    [TestCase("md5:d41d8cd98f00b204e9800998ecf8427e")]
    [TestCase("sha256:ABCDEF0000000000000000000000000000000000000000000000000000000000")]
    [TestCase("nocolon")]
    public async Task Malformed_digest_is_400_digest_invalid(string digest)
    {
        await using var host = await RegistryHost.StartInMemoryAsync();
        using var response = await host.Client.GetAsync($"/v2/a/blobs/{Uri.EscapeDataString(digest)}");
        await response.ShouldBeErrorAsync(HttpStatusCode.BadRequest, "DIGEST_INVALID");
    }

    [TestCase("UPPER")]
    [TestCase("a..b")]
    [TestCase("-a")]
    [TestCase("a/_layers")]
    [TestCase("a%2F..%2Fb")]
    public async Task Invalid_repository_name_is_400_name_invalid(string name)
    {
        await using var host = await RegistryHost.StartInMemoryAsync();
        using var response = await host.Client.GetAsync($"/v2/{name}/blobs/sha256:{new string('0', 64)}");
        await response.ShouldBeErrorAsync(HttpStatusCode.BadRequest, "NAME_INVALID");
    }

    [Test]
    public async Task Sha512_blobs_are_pushed_and_served()
    {
        await using var host = await RegistryHost.StartInMemoryAsync();
        var content = RandomBytes(3000, 5);
        var digest = await PushBlobAsync(host.Client, "s", content, Sha512(content));
        digest.ShouldStartWith("sha512:");
        using var get = await host.Client.GetAsync($"/v2/s/blobs/{digest}");
        get.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await get.Content.ReadAsByteArrayAsync()).ShouldBe(content);
    }

    [Test]
    public async Task Blob_delete_unlinks_when_enabled_and_is_405_unsupported_when_not()
    {
        await using (var host = await RegistryHost.StartInMemoryAsync(new RegistryServerOptions { DeleteEnabled = true }))
        {
            var digest = await PushBlobAsync(host.Client, "d", RandomBytes(100, 6));
            using var delete = await host.Client.DeleteAsync($"/v2/d/blobs/{digest}");
            delete.StatusCode.ShouldBe(HttpStatusCode.Accepted);
            using var after = await host.Client.GetAsync($"/v2/d/blobs/{digest}");
            await after.ShouldBeErrorAsync(HttpStatusCode.NotFound, "BLOB_UNKNOWN");
            using var again = await host.Client.DeleteAsync($"/v2/d/blobs/{digest}");
            await again.ShouldBeErrorAsync(HttpStatusCode.NotFound, "BLOB_UNKNOWN");
        }

        await using (var host = await RegistryHost.StartInMemoryAsync(new RegistryServerOptions()))
        {
            var digest = await PushBlobAsync(host.Client, "d", RandomBytes(100, 6));
            using var delete = await host.Client.DeleteAsync($"/v2/d/blobs/{digest}");
            await delete.ShouldBeErrorAsync(HttpStatusCode.MethodNotAllowed, "UNSUPPORTED");
            using var still = await host.Client.GetAsync($"/v2/d/blobs/{digest}");
            still.StatusCode.ShouldBe(HttpStatusCode.OK);
        }
    }

    [Test]
    public async Task Blob_get_redirects_when_the_driver_gives_a_url_unless_redirect_is_disabled()
    {
        var driver = new RedirectingDriver(RegistryHost.InMemory(), new Uri("https://cdn.example/blob?sig=x"));
        await using (var host = await RegistryHost.StartAsync(driver, new RegistryServerOptions()))
        {
            var digest = await PushBlobAsync(host.Client, "r", RandomBytes(10, 7));
            using var response = await host.Client.GetAsync($"/v2/r/blobs/{digest}");
            response.StatusCode.ShouldBe(HttpStatusCode.TemporaryRedirect);
            response.Headers.Location.ShouldBe(new Uri("https://cdn.example/blob?sig=x"));
            using var head = await host.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/v2/r/blobs/{digest}"));
            head.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        driver = new RedirectingDriver(RegistryHost.InMemory(), new Uri("https://cdn.example/blob?sig=x"));
        await using (var host = await RegistryHost.StartAsync(driver, new RegistryServerOptions { RedirectDisabled = true }))
        {
            var content = RandomBytes(10, 7);
            var digest = await PushBlobAsync(host.Client, "r", content);
            using var response = await host.Client.GetAsync($"/v2/r/blobs/{digest}");
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
            (await response.Content.ReadAsByteArrayAsync()).ShouldBe(content);
        }
    }

    [Test]
    public async Task Write_methods_on_read_only_endpoints_are_405()
    {
        await using var host = await RegistryHost.StartInMemoryAsync();
        using var content = new ByteArrayContent([]);
        using var response = await host.Client.PostAsync("/v2/a/tags/list", content);
        await response.ShouldBeErrorAsync(HttpStatusCode.MethodNotAllowed, "UNSUPPORTED");
        using var put = new HttpRequestMessage(HttpMethod.Put, $"/v2/a/blobs/sha256:{new string('0', 64)}");
        using var putResponse = await host.Client.SendAsync(put);
        await putResponse.ShouldBeErrorAsync(HttpStatusCode.MethodNotAllowed, "UNSUPPORTED");
    }
}
