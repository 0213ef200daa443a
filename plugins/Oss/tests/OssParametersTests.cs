using Registry.Storage.Conformance;

namespace Registry.Storage.Drivers.Oss.Tests;

/// <summary>Parsing distribution's oss parameters: defaults, required values, ranges, forms, and secrets kept out of text.</summary>
public sealed class OssParametersTests
{
    internal static readonly Dictionary<string, object?> Minimal = new()
    {
        ["accesskeyid"] = "LTAIid",
        ["accesskeysecret"] = "s3cr3t-value",
        ["region"] = "oss-cn-hangzhou",
        ["bucket"] = "my-bucket",
    };

    private static OssParameters Parse(params (string Name, object? Value)[] overrides)
    {
        var values = new Dictionary<string, object?>(Minimal);
        foreach (var (name, value) in overrides)
        {
            if (value is null)
            {
                values.Remove(name);
            }
            else
            {
                values[name] = value;
            }
        }

        return OssParameters.Parse(new DriverParameters("oss", values));
    }

    [Test]
    public void Defaults_are_distributions()
    {
        var parsed = Parse();
        parsed.Endpoint.ShouldBe(new Uri("https://oss-cn-hangzhou.aliyuncs.com"));
        parsed.BucketBase.ShouldBe(new Uri("https://my-bucket.oss-cn-hangzhou.aliyuncs.com"));
        parsed.ChunkSize.ShouldBe(10L << 20);
        parsed.Encrypt.ShouldBeFalse();
        parsed.RootDirectory.ShouldBe("");
        parsed.SignatureVersion.ShouldBe(OssSignatureVersion.V4);
        parsed.Credentials.SecurityToken.ShouldBeNull();
        parsed.TestLoopback.ShouldBeFalse();
    }

    [TestCase("accesskeyid")]
    [TestCase("accesskeysecret")]
    [TestCase("region")]
    [TestCase("bucket")]
    public void A_missing_required_parameter_is_named(string name)
    {
        var error = Should.Throw<InvalidParameterException>(() => Parse((name, null)));
        error.Parameter.ShouldBe(name);
        error.DriverName.ShouldBe("oss");
    }

    [TestCase(false, false, "https://oss-cn-hangzhou.aliyuncs.com/")]
    [TestCase(true, false, "https://oss-cn-hangzhou-internal.aliyuncs.com/")]
    [TestCase(false, true, "http://oss-cn-hangzhou.aliyuncs.com/")]
    [TestCase(true, true, "http://oss-cn-hangzhou-internal.aliyuncs.com/")]
    public void Internal_and_secure_pick_the_default_endpoint(bool isInternal, bool insecure, string expected) =>
        Parse(("internal", isInternal), ("secure", !insecure)).Endpoint.AbsoluteUri.ShouldBe(expected);

    [TestCase("oss-eu-west-1.aliyuncs.com", true, "https://oss-eu-west-1.aliyuncs.com/")]
    [TestCase("oss-eu-west-1.aliyuncs.com", false, "http://oss-eu-west-1.aliyuncs.com/")]
    [TestCase("http://oss-standin.invalid:19090", true, "http://oss-standin.invalid:19090/")]
    public void An_explicit_endpoint_keeps_its_scheme_or_takes_secure(string endpoint, bool secure, string expected) =>
        Parse(("endpoint", endpoint), ("secure", secure)).Endpoint.AbsoluteUri.ShouldBe(expected);

    [Test]
    public void The_bucket_becomes_the_first_label_of_the_host() =>
        Parse(("endpoint", "http://oss-standin.invalid:19090")).BucketBase.ShouldBe(new Uri("http://my-bucket.oss-standin.invalid:19090"));

    [TestCase("ftp://host")]
    [TestCase("http://host/path")]
    [TestCase("http://host?x=1")]
    public void An_endpoint_with_a_path_or_another_scheme_is_rejected(string endpoint) =>
        Should.Throw<InvalidParameterException>(() => Parse(("endpoint", endpoint))).Parameter.ShouldBe("endpoint");

    [TestCase("ab")]
    [TestCase("My-Bucket")]
    [TestCase("-bucket")]
    [TestCase("bucket_name")]
    public void An_invalid_bucket_name_is_rejected(string bucket) =>
        Should.Throw<InvalidParameterException>(() => Parse(("bucket", bucket))).Parameter.ShouldBe("bucket");

    [TestCase("5MB", 5L << 20)]
    [TestCase("10MiB", 10L << 20)]
    [TestCase(8388608, 8L << 20)]
    [TestCase("1GiB", 1L << 30)]
    public void Chunksize_accepts_sizes_from_5MiB(object value, long expected) =>
        Parse(("chunksize", value)).ChunkSize.ShouldBe(expected);

    [TestCase("4MB")]
    [TestCase(102400)]
    [TestCase("2GiB")]
    [TestCase("ten")]
    public void Chunksize_outside_5MiB_to_1GiB_is_rejected(object value) =>
        Should.Throw<InvalidParameterException>(() => Parse(("chunksize", value))).Parameter.ShouldBe("chunksize");

    [TestCase("v1", OssSignatureVersion.V1)]
    [TestCase("V4", OssSignatureVersion.V4)]
    public void Signatureversion_selects_the_signer(string value, OssSignatureVersion expected) =>
        Parse(("signatureversion", value)).SignatureVersion.ShouldBe(expected);

    [Test]
    public void An_unknown_signatureversion_is_rejected() =>
        Should.Throw<InvalidParameterException>(() => Parse(("signatureversion", "v2"))).Parameter.ShouldBe("signatureversion");

    [TestCase("/registry/", "registry")]
    [TestCase("a/b", "a/b")]
    [TestCase("/", "")]
    public void Rootdirectory_is_kept_without_outer_slashes(string value, string expected) =>
        Parse(("rootdirectory", value)).RootDirectory.ShouldBe(expected);

    [Test]
    public void A_misspelt_parameter_fails_instead_of_being_ignored() =>
        Should.Throw<InvalidParameterException>(() => Parse(("chunk_size", "10MB"))).Parameter.ShouldBe("chunk_size");

    [Test]
    public void Booleans_must_be_booleans() =>
        Should.Throw<InvalidParameterException>(() => Parse(("encrypt", "yes"))).Parameter.ShouldBe("encrypt");

    [Test]
    public void The_security_token_is_carried_in_the_credentials() =>
        Parse(("securitytoken", "sts-token")).Credentials.SecurityToken.ShouldBe("sts-token");

    [Test]
    public void Secrets_never_appear_in_text()
    {
        var parsed = Parse(("securitytoken", "sts-token-value"));
        parsed.ToString().ShouldNotContain("s3cr3t-value");
        parsed.Credentials.ToString().ShouldNotContain("s3cr3t-value");
        parsed.Credentials.ToString().ShouldNotContain("sts-token-value");
        parsed.ToString().ShouldContain("LTAIid");
    }

    [Test]
    public void A_bad_secret_parameter_value_is_masked_in_the_error()
    {
        var error = Should.Throw<InvalidParameterException>(() => new DriverParameters("oss", new Dictionary<string, object?>(Minimal) { ["accesskeysecret"] = new[] { "s3cr3t-value" } }, ["accesskeysecret"])
            .GetBoolean("accesskeysecret", false));
        error.Message.ShouldNotContain("s3cr3t-value");
    }

    [Test]
    public void The_factory_marks_the_secrets_and_the_required_parameters()
    {
        var factory = new OssDriverFactory();
        factory.Name.ShouldBe("oss");
        factory.Parameters.Where(p => p.Secret).Select(p => p.Name).ShouldBe(["accesskeysecret", "securitytoken"], ignoreOrder: true);
        factory.Parameters.Where(p => p.Required).Select(p => p.Name).ShouldBe(["accesskeyid", "accesskeysecret", "region", "bucket"], ignoreOrder: true);
    }
}

/// <summary>The declared table and <see cref="OssParameters.Parse"/> agree (names, defaults).</summary>
public sealed class OssParameterTableTests() : DriverParametersConformance(new OssDriverFactory(), OssParameters.Table, OssParameters.Parse,
    OssParametersTests.Minimal);
