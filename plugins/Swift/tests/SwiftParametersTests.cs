using Registry.Storage.Conformance;

namespace Registry.Storage.Drivers.Swift.Tests;

public sealed class SwiftParametersTests
{
    private static DriverParameters Params(params (string Key, object? Value)[] extra) =>
        TestParameters.Create("http://127.0.0.1:8080/auth/v1.0", extra);

    [Test]
    public void Defaults_are_distributions()
    {
        var p = SwiftParameters.Parse(Params());

        p.ChunkSize.ShouldBe(20L << 20);
        p.EndpointType.ShouldBe("public");
        p.Root.ShouldBe("");
        p.InsecureSkipVerify.ShouldBeFalse();
        p.AuthVersion.ShouldBe(0);
        p.TempUrlContainerKey.ShouldBeFalse();
        p.TempUrlMethods.ShouldBeEmpty();
        p.SecretKey.ShouldBeNull();
        p.UploadConcurrency.ShouldBe(4);
    }

    [TestCase("0")]
    [TestCase("65")]
    [TestCase("two")]
    public void Upload_concurrency_outside_1_to_64_is_rejected(string value)
    {
        Should.Throw<InvalidParameterException>(() => SwiftParameters.Parse(Params(("uploadconcurrency", value)))).Parameter.ShouldBe("uploadconcurrency");
    }

    [Test]
    public void Upload_concurrency_is_read()
    {
        SwiftParameters.Parse(Params(("uploadconcurrency", "2"))).UploadConcurrency.ShouldBe(2);
    }

    [TestCase("username")]
    [TestCase("password")]
    [TestCase("authurl")]
    [TestCase("container")]
    public void A_missing_required_parameter_is_named(string name)
    {
        var values = Params().Where(kv => kv.Key != name);
        var ex = Should.Throw<InvalidParameterException>(() => SwiftParameters.Parse(new DriverParameters("swift", values)));
        ex.Parameter.ShouldBe(name);
    }

    [TestCase("http://keystone:5000/v3", 0, 3)]
    [TestCase("http://keystone:5000/v2.0", 0, 2)]
    [TestCase("http://proxy:8080/auth/v1.0", 0, 1)]
    [TestCase("http://proxy:8080/auth", 0, 1)]
    [TestCase("http://keystone:5000/v3", 2, 2)]
    [TestCase("http://keystone:5000/identity", 3, 3)]
    public void Auth_version_is_configured_or_detected_from_the_url(string url, int configured, int expected)
    {
        var p = SwiftParameters.Parse(Params(("authurl", url), ("authversion", configured == 0 ? null : configured)));
        p.EffectiveAuthVersion.ShouldBe(expected);
    }

    [TestCase("4")]
    [TestCase("-1")]
    [TestCase("three")]
    public void An_unknown_auth_version_is_rejected(string value)
    {
        Should.Throw<InvalidParameterException>(() => SwiftParameters.Parse(Params(("authversion", value)))).Parameter.ShouldBe("authversion");
    }

    [TestCase("1MB", 1L << 20)]
    [TestCase("5MiB", 5L << 20)]
    [TestCase(33554432, 32L << 20)]
    public void Chunk_size_accepts_sizes_of_at_least_one_mebibyte(object value, long expected)
    {
        SwiftParameters.Parse(Params(("chunksize", value))).ChunkSize.ShouldBe(expected);
    }

    [TestCase("1048575")]
    [TestCase("512KB")]
    [TestCase("2GB")]
    [TestCase("lots")]
    public void Chunk_size_below_one_mebibyte_or_beyond_one_gibibyte_is_rejected(string value)
    {
        Should.Throw<InvalidParameterException>(() => SwiftParameters.Parse(Params(("chunksize", value)))).Parameter.ShouldBe("chunksize");
    }

    [TestCase(null, null, "")]
    [TestCase("/registry", null, "registry")]
    [TestCase(null, "/docker/", "docker")]
    [TestCase("/runs/abc/", "docker", "runs/abc/docker")]
    public void Rootdirectory_and_prefix_compose_without_outer_slashes(string? rootDirectory, string? prefix, string expected)
    {
        SwiftParameters.Parse(Params(("rootdirectory", rootDirectory), ("prefix", prefix))).Root.ShouldBe(expected);
    }

    [TestCase("public")]
    [TestCase("internal")]
    [TestCase("admin")]
    public void Endpoint_type_accepts_the_three_catalog_interfaces(string value)
    {
        SwiftParameters.Parse(Params(("endpointtype", value))).EndpointType.ShouldBe(value);
    }

    [Test]
    public void Endpoint_type_outside_the_catalog_interfaces_is_rejected()
    {
        Should.Throw<InvalidParameterException>(() => SwiftParameters.Parse(Params(("endpointtype", "private")))).Parameter.ShouldBe("endpointtype");
    }

    [TestCase("ftp://host/auth")]
    [TestCase("not a url")]
    public void Authurl_must_be_an_absolute_http_url(string value)
    {
        Should.Throw<InvalidParameterException>(() => SwiftParameters.Parse(Params(("authurl", value)))).Parameter.ShouldBe("authurl");
    }

    [Test]
    public void A_container_name_with_a_slash_is_rejected()
    {
        Should.Throw<InvalidParameterException>(() => SwiftParameters.Parse(Params(("container", "a/b")))).Parameter.ShouldBe("container");
    }

    [Test]
    public void Tempurl_methods_accept_a_list_or_a_comma_separated_string()
    {
        SwiftParameters.Parse(Params(("tempurlmethods", "get, head"))).TempUrlMethods.ShouldBe(["GET", "HEAD"]);
        SwiftParameters.Parse(Params(("tempurlmethods", new List<object?> { "GET", "PUT" }))).TempUrlMethods.ShouldBe(["GET", "PUT"]);
    }

    [Test]
    public void Keystone_parameters_are_read()
    {
        var p = SwiftParameters.Parse(Params(("tenant", "proj"), ("tenantid", "p1"), ("domain", "d"), ("domainid", "d1"),
            ("tenantdomain", "td"), ("tenantdomainid", "td1"), ("trustid", "t1"), ("region", "RegionTwo"), ("insecureskipverify", "true"),
            ("secretkey", "k"), ("accesskey", "a"), ("tempurlcontainerkey", true)));

        (p.Tenant, p.TenantId, p.Domain, p.DomainId, p.TenantDomain, p.TenantDomainId, p.TrustId, p.Region)
            .ShouldBe(("proj", "p1", "d", "d1", "td", "td1", "t1", "RegionTwo"));
        p.InsecureSkipVerify.ShouldBeTrue();
        p.SecretKey.ShouldBe("k");
        p.AccessKey.ShouldBe("a");
        p.TempUrlContainerKey.ShouldBeTrue();
    }

    [Test]
    public void An_unknown_parameter_is_rejected_naming_it()
    {
        Should.Throw<InvalidParameterException>(() => SwiftParameters.Parse(Params(("chunksise", "10MB")))).Parameter.ShouldBe("chunksise");
    }

    [Test]
    public void ToString_never_shows_the_password_or_the_tempurl_key()
    {
        var text = SwiftParameters.Parse(Params(("password", "hunter2-secret"), ("secretkey", "tempurl-key-value"))).ToString();

        text.ShouldNotContain("hunter2-secret");
        text.ShouldNotContain("tempurl-key-value");
        text.ShouldContain("test:tester");
    }

    [Test]
    public void Errors_for_a_secret_parameter_hide_its_value()
    {
        // a list where a password belongs: the message must not echo it
        var ex = Should.Throw<InvalidParameterException>(() => SwiftParameters.Parse(Params(("password", new Dictionary<string, object?> { ["x"] = "hunter2" }))));
        ex.Message.ShouldNotContain("hunter2");
    }

    [Test]
    public void Factory_marks_credentials_secret()
    {
        var factory = new SwiftDriverFactory();
        factory.Name.ShouldBe("swift");
        factory.Parameters.Where(p => p.Secret).Select(p => p.Name).ShouldBe(["password", "secretkey", "accesskey"], ignoreOrder: true);
    }
}

/// <summary>The declared table and <see cref="SwiftParameters.Parse"/> agree (names, defaults): what the removed uploadconcurrency default test checked, for every parameter.</summary>
public sealed class SwiftParameterTableTests() : DriverParametersConformance(new SwiftDriverFactory(), SwiftParameters.Table, SwiftParameters.Parse,
    TestParameters.Create("http://127.0.0.1:8080/auth/v1.0"));
