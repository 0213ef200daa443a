using System.Web;

namespace Registry.Storage.Drivers.Swift.Tests;

/// <summary>TempURL signatures against vectors computed independently (Python's hmac module).</summary>
public sealed class SwiftTempUrlTests
{
    private const string Path = "/v1/AUTH_account/container/object";

    [TestCase("sha1", "da720a7e11f9f2c7b0fe46039811229c1c7a9cb4")]
    [TestCase("sha256", "9ef8c448d4184fd16dd4013a1e3349149f895555655621dbf6d6a166f585af72")]
    public void Signature_is_the_hex_hmac_of_method_expiry_and_path(string digest, string expected)
    {
        SwiftTempUrl.Signature("mykey", digest, "GET", 1440619048, Path).ShouldBe(expected);
    }

    [Test]
    public void Sign_puts_signature_and_expiry_in_the_query_of_the_object_url()
    {
        var signer = new SwiftTempUrl("a0ba60146b3511ed", "sha256", ["GET", "HEAD"], null, null);
        var url = signer.Sign(new Uri("http://127.0.0.1:38080/v1/AUTH_test/registry/files/docker/registry/v2/blobs/sha256/ab/abc/data"),
            "GET", DateTimeOffset.FromUnixTimeSeconds(1795862400));

        url.GetLeftPart(UriPartial.Path).ShouldBe("http://127.0.0.1:38080/v1/AUTH_test/registry/files/docker/registry/v2/blobs/sha256/ab/abc/data");
        var query = HttpUtility.ParseQueryString(url.Query);
        query["temp_url_expires"].ShouldBe("1795862400");
        query["temp_url_sig"].ShouldBe("132bea1e39b7dcde043c097425b26c3f80ad1dbad45ebb8b387580fb7755464c");
    }

    [Test]
    public void Head_is_signed_as_get_which_Swift_accepts_for_head()
    {
        var signer = new SwiftTempUrl("k", "sha1", ["GET"], null, null);
        var object_ = new Uri("http://h/v1/AUTH_a/c/o");
        var expires = DateTimeOffset.FromUnixTimeSeconds(2000000000);

        signer.Sign(object_, "HEAD", expires).ShouldBe(signer.Sign(object_, "GET", expires));
        signer.Supports("HEAD").ShouldBeTrue();
        signer.Supports("PUT").ShouldBeFalse();
    }

    [Test]
    public void The_signed_path_is_the_unescaped_one()
    {
        var signer = new SwiftTempUrl("mykey", "sha1", ["GET"], null, null);
        var url = signer.Sign(new Uri("http://h/v1/AUTH_account/container/object"), "GET", DateTimeOffset.FromUnixTimeSeconds(1440619048));

        HttpUtility.ParseQueryString(url.Query)["temp_url_sig"].ShouldBe("da720a7e11f9f2c7b0fe46039811229c1c7a9cb4");
    }

    [Test]
    public void With_an_access_key_the_signature_takes_HP_clouds_form()
    {
        var signer = new SwiftTempUrl("mykey", "sha1", ["GET"], "access", "tenant1");
        var url = signer.Sign(new Uri("http://h" + Path), "GET", DateTimeOffset.FromUnixTimeSeconds(1440619048));

        HttpUtility.ParseQueryString(url.Query)["temp_url_sig"].ShouldBe("tenant1:access:da720a7e11f9f2c7b0fe46039811229c1c7a9cb4");
    }

    [TestCase(new[] { "sha1", "sha256", "sha512" }, "sha256")]
    [TestCase(new[] { "sha256" }, "sha256")]
    [TestCase(new[] { "sha1" }, "sha1")]
    [TestCase(new string[0], "sha1")]
    public void Sha256_is_chosen_when_the_cluster_allows_it(string[] allowed, string expected)
    {
        SwiftTempUrl.ChooseDigest(allowed).ShouldBe(expected);
    }

    [Test]
    public void ToString_never_shows_the_key()
    {
        new SwiftTempUrl("very-secret-key", "sha256", ["GET"], null, null).ToString().ShouldNotContain("very-secret-key");
    }
}
