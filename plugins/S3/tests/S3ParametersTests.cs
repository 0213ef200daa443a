using Registry.Storage.Conformance;

namespace Registry.Storage.Drivers.S3.Tests;

/// <summary>Parsing of distribution's s3 parameters: defaults, ranges, names in errors, masked secrets.</summary>
public sealed class S3ParametersTests
{
    internal static DriverParameters Params(params (string Name, object? Value)[] values) =>
        new("s3", new Dictionary<string, object?> { ["bucket"] = "b", ["region"] = "us-east-1" }
            .Concat(values.Select(v => new KeyValuePair<string, object?>(v.Name, v.Value))));

    [Test]
    public void Defaults_are_distributions()
    {
        var p = S3Parameters.Parse(Params());
        p.ChunkSize.ShouldBe(10L << 20);
        p.MultipartCopyChunkSize.ShouldBe(32L << 20);
        p.MultipartCopyMaxConcurrency.ShouldBe(100);
        p.MultipartCopyThresholdSize.ShouldBe(S3Parameters.DefaultCopyCutoff, "one CopyObject up to rclone's copy_cutoff unless multipartcopythresholdsize is set");
        p.Secure.ShouldBeTrue();
        p.ForcePathStyle.ShouldBeFalse();
        p.Encrypt.ShouldBeFalse();
        p.StorageClass.ShouldBe("STANDARD");
        p.ObjectAcl.ShouldBe("private");
        p.RootDirectory.ShouldBe("");
        p.AccessKey.ShouldBeNull();
        p.LogLevel.ShouldBe("off");
    }

    [TestCase("chunksize", "5MB", 5L << 20)]
    [TestCase("chunksize", "5242880", 5L << 20)]
    [TestCase("chunksize", "5GB", 5L << 30)]
    [TestCase("multipartcopychunksize", "64MB", 64L << 20)]
    [TestCase("multipartcopythresholdsize", "0", 0L)]
    [TestCase("copycutoff", "64MB", 64L << 20)]
    public void Sizes_within_range_are_accepted(string name, string value, long expected)
    {
        var p = S3Parameters.Parse(Params((name, value)));
        var actual = name switch
        {
            "chunksize" => p.ChunkSize,
            "multipartcopychunksize" => p.MultipartCopyChunkSize,
            _ => p.MultipartCopyThresholdSize,
        };
        actual.ShouldBe(expected);
    }

    [TestCase("chunksize", "4MB")]
    [TestCase("chunksize", "6GB")]
    [TestCase("chunksize", "ten")]
    [TestCase("multipartcopychunksize", "1MB")]
    [TestCase("multipartcopythresholdsize", "6GB")]
    [TestCase("multipartcopymaxconcurrency", "0")]
    [TestCase("uploadconcurrency", "0")]
    [TestCase("secure", "maybe")]
    [TestCase("forcepathstyle", "yes please")]
    [TestCase("storageclass", "COLD")]
    [TestCase("objectacl", "everyone")]
    [TestCase("loglevel", "loud")]
    [TestCase("v4auth", "false")]
    [TestCase("region", "mars-north-1")]
    public void Invalid_values_name_the_parameter(string name, string value)
    {
        var error = Should.Throw<InvalidParameterException>(() => S3Parameters.Parse(Params((name, value))));
        error.Parameter.ShouldBe(name);
        error.DriverName.ShouldBe("s3");
        error.Message.ShouldContain(name);
    }

    [Test]
    public void Range_errors_state_the_allowed_range()
    {
        var error = Should.Throw<InvalidParameterException>(() => S3Parameters.Parse(Params(("chunksize", "1MB"))));
        error.Expected.ShouldContain("5");
        error.Expected.ShouldContain("from");
    }

    [Test]
    public void Missing_bucket_is_an_error()
    {
        var error = Should.Throw<InvalidParameterException>(() => S3Parameters.Parse(new DriverParameters("s3", new Dictionary<string, object?> { ["region"] = "us-east-1" })));
        error.Parameter.ShouldBe("bucket");
    }

    [Test]
    public void Region_is_required_without_an_endpoint_and_free_with_one()
    {
        Should.Throw<InvalidParameterException>(() => S3Parameters.Parse(new DriverParameters("s3", new Dictionary<string, object?> { ["bucket"] = "b" })))
            .Parameter.ShouldBe("region");
        var p = S3Parameters.Parse(new DriverParameters("s3", new Dictionary<string, object?> { ["bucket"] = "b", ["regionendpoint"] = "http://127.0.0.1:1", ["region"] = "anything" }));
        p.Region.ShouldBe("anything");
    }

    [Test]
    public void Unknown_parameters_are_rejected()
    {
        Should.Throw<InvalidParameterException>(() => S3Parameters.Parse(Params(("chunksiz", "10MB")))).Parameter.ShouldBe("chunksiz");
    }

    [Test]
    public void Storage_class_is_case_insensitive_and_NONE_is_allowed()
    {
        S3Parameters.Parse(Params(("storageclass", "reduced_redundancy"))).StorageClass.ShouldBe("REDUCED_REDUNDANCY");
        S3Parameters.Parse(Params(("storageclass", "NONE"))).StorageClass.ShouldBe("NONE");
    }

    [Test]
    public void Yaml_off_for_loglevel_means_off()
    {
        S3Parameters.Parse(Params(("loglevel", false))).LogLevel.ShouldBe("off");
        S3Parameters.Parse(Params(("loglevel", "debug"))).LogLevel.ShouldBe("debug");
    }

    [Test]
    public void Access_key_without_secret_key_is_an_error()
    {
        Should.Throw<InvalidParameterException>(() => S3Parameters.Parse(Params(("accesskey", "AK")))).Parameter.ShouldBe("secretkey");
    }

    [Test]
    public void Secrets_never_appear_in_ToString_or_errors()
    {
        var p = S3Parameters.Parse(Params(("accesskey", "AKIDSECRETVALUE"), ("secretkey", "verysecretvalue"), ("sessiontoken", "tokenvalue")));
        var text = p.ToString();
        text.ShouldNotContain("AKIDSECRETVALUE");
        text.ShouldNotContain("verysecretvalue");
        text.ShouldNotContain("tokenvalue");
        text.ShouldContain("******");

        var error = Should.Throw<InvalidParameterException>(() => S3Parameters.Parse(new DriverParameters("s3",
            new Dictionary<string, object?> { ["bucket"] = "b", ["region"] = "us-east-1", ["accesskey"] = "AK", ["secretkey"] = new[] { "x" } })));
        error.Message.ShouldNotContain("AK\"");
    }

    [TestCase("", "/a/b", "a/b")]
    [TestCase("/", "/a/b", "a/b")]
    [TestCase("/root", "/a/b", "root/a/b")]
    [TestCase("root/", "/a/b", "root/a/b")]
    [TestCase("/deep/root/", "/a", "deep/root/a")]
    public void Keys_follow_distributions_layout(string rootDirectory, string path, string key)
    {
        var p = S3Parameters.Parse(Params(("rootdirectory", rootDirectory)));
        p.KeyOf(path).ShouldBe(key);
        p.PathOf(key).ShouldBe(path);
    }

    [Test]
    public void Keys_outside_the_root_or_not_valid_paths_have_no_path()
    {
        var p = S3Parameters.Parse(Params(("rootdirectory", "/root")));
        p.PathOf("other/a").ShouldBeNull();
        p.PathOf("root/a/").ShouldBeNull();
        p.PathOf("root/a//b").ShouldBeNull();
        p.DirectoryPrefix("/").ShouldBe("root/");
        p.DirectoryPrefix("/a").ShouldBe("root/a/");
    }

    [Test]
    public void Factory_registers_s3_and_s3aws_and_marks_secrets()
    {
        var factory = new S3DriverFactory();
        factory.Name.ShouldBe("s3");
        factory.Aliases.ShouldBe(["s3aws"]);
        factory.Parameters.Where(p => p.Secret).Select(p => p.Name).ShouldBe(["accesskey", "secretkey", "sessiontoken"], ignoreOrder: true);
    }
}

/// <summary>The declared table and <see cref="S3Parameters.Parse"/> agree (names, defaults).</summary>
public sealed class S3ParameterTableTests() : DriverParametersConformance(
    new S3DriverFactory(), S3Parameters.Table, S3Parameters.Parse, S3ParametersTests.Params());
