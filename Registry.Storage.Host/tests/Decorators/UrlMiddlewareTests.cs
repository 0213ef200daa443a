using System.Security.Cryptography;
using System.Text;
using System.Web;
using Registry.Storage.Hosting.Decorators;

namespace Registry.Storage.Host.Tests.Decorators;

public class UrlMiddlewareTests
{
    private const string Blob = "/docker/registry/v2/blobs/sha256/ab/abcd/data";

    [Test]
    public async Task Redirect_points_at_the_base_url_plus_the_storage_path()
    {
        var driver = new RedirectMiddleware(await InMemoryPlugin.CreateAsync(), new Uri("https://cdn.example.com/mirror/"));

        (await driver.RedirectUrlAsync(Blob, RedirectOptions.Get)).ShouldBe(new Uri("https://cdn.example.com/mirror" + Blob));
        driver.Capabilities.Redirect.ShouldBeTrue();
    }

    [Test]
    public async Task Rewrite_replaces_scheme_and_host_and_trims_the_prefix_keeping_the_query()
    {
        var presigning = new QueryAddingDriver(new RedirectMiddleware(new TestTree(), new Uri("http://backend.internal:9000/bucket")));
        var driver = new RewriteMiddleware(presigning, new RewriteOptions("https", "cdn.example.com", "/bucket"));

        (await driver.RedirectUrlAsync(Blob, RedirectOptions.Get)).ShouldBe(new Uri("https://cdn.example.com" + Blob + "?X-Amz-Signature=abc"));
    }

    [Test]
    public async Task Rewrite_keeps_an_explicit_port_given_with_the_host_and_passes_no_url_through()
    {
        var driver = new RewriteMiddleware(new RedirectMiddleware(new TestTree(), new Uri("http://backend:9000/")), new RewriteOptions(Host: "proxy:8443"));
        (await driver.RedirectUrlAsync("/a", RedirectOptions.Get)).ShouldBe(new Uri("http://proxy:8443/a"));

        var none = new RewriteMiddleware(await InMemoryPlugin.CreateAsync(), new RewriteOptions("https", "cdn"));
        (await none.RedirectUrlAsync("/a", RedirectOptions.Get)).ShouldBeNull();
    }

    [Test]
    public async Task Cloudfront_signs_a_canned_policy_url_that_verifies_with_the_public_key()
    {
        using var rsa = RSA.Create(2048);
        var now = new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);
        var options = new CloudFrontOptions(new Uri("https://d111.cloudfront.net"), rsa.ExportRSAPrivateKeyPem(), "K2JCJMDEHXQW5F", TimeSpan.FromMinutes(20), "/registry-root/");
        using var driver = new CloudFrontMiddleware(new TestTree("s3"), options, new FixedTime(now));

        var url = (await driver.RedirectUrlAsync(Blob, RedirectOptions.Get)).ShouldNotBeNull();
        var resource = "https://d111.cloudfront.net/registry-root" + Blob;
        url.GetLeftPart(UriPartial.Path).ShouldBe(resource);
        var query = HttpUtility.ParseQueryString(url.Query);
        query["Key-Pair-Id"].ShouldBe("K2JCJMDEHXQW5F");
        var expires = long.Parse(query["Expires"]!);
        expires.ShouldBe(now.AddMinutes(20).ToUnixTimeSeconds());

        var signature = query["Signature"]!;
        signature.ShouldNotContain("+");
        signature.ShouldNotContain("/");
        signature.ShouldNotContain("=");
        var raw = Convert.FromBase64String(signature.Replace('-', '+').Replace('_', '=').Replace('~', '/'));
        var policy = "{\"Statement\":[{\"Resource\":\"" + resource + "\",\"Condition\":{\"DateLessThan\":{\"AWS:EpochTime\":" + expires + "}}}]}";
        rsa.VerifyData(Encoding.UTF8.GetBytes(policy), raw, HashAlgorithmName.SHA1, RSASignaturePadding.Pkcs1).ShouldBeTrue();
        rsa.VerifyData(Encoding.UTF8.GetBytes(policy.Replace("data", "datb")), raw, HashAlgorithmName.SHA1, RSASignaturePadding.Pkcs1).ShouldBeFalse();
    }

    [Test]
    public async Task Cloudfront_in_front_of_a_driver_other_than_s3_passes_the_drivers_own_url()
    {
        using var rsa = RSA.Create(2048);
        var options = new CloudFrontOptions(new Uri("https://d111.cloudfront.net/"), rsa.ExportPkcs8PrivateKeyPem(), "K1", TimeSpan.FromMinutes(5));
        using var driver = new CloudFrontMiddleware(await InMemoryPlugin.CreateAsync(), options);

        (await driver.RedirectUrlAsync(Blob, RedirectOptions.Get)).ShouldBeNull();
        driver.Capabilities.Redirect.ShouldBeFalse();
    }

    [Test]
    public void Cloudfront_options_never_print_the_private_key()
    {
        using var rsa = RSA.Create(2048);
        var pem = rsa.ExportRSAPrivateKeyPem();
        var text = new CloudFrontOptions(new Uri("https://d.cloudfront.net/"), pem, "K1", TimeSpan.FromMinutes(5)).ToString();
        text.ShouldNotContain("PRIVATE KEY");
        text.ShouldContain("PrivateKeyPem = ******");
    }

    [Test]
    public void Cloudfront_rejects_a_key_that_is_not_rsa_pem_without_echoing_it()
    {
        var error = Should.Throw<ArgumentException>(() => CloudFrontMiddleware.LoadKey("not-a-key-s3cr3t"));
        error.Message.ShouldNotContain("s3cr3t");
    }

    private sealed class QueryAddingDriver(IStorageDriver inner) : Registry.Storage.Kit.DelegatingStorageDriver(inner)
    {
        public override async Task<Uri?> RedirectUrlAsync(string path, RedirectOptions options, CancellationToken cancellationToken = default) =>
            new UriBuilder((await Inner.RedirectUrlAsync(path, options, cancellationToken))!) { Query = "X-Amz-Signature=abc" }.Uri;
    }
}

/// <summary>A clock that always says the same time.</summary>
internal sealed class FixedTime(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
