namespace Registry.Storage.Tests;

public class DriverParametersTests
{
    private static DriverParameters Make(params (string Key, object? Value)[] values) =>
        new("s3", values.Select(v => new KeyValuePair<string, object?>(v.Key, v.Value)));

    [Test]
    public void Names_are_case_insensitive() => Make(("Bucket", "b")).GetString("bucket").ShouldBe("b");

    [TestCase("10MB", 10L << 20)]
    [TestCase("10 MiB", 10L << 20)]
    [TestCase("5mb", 5L << 20)]
    [TestCase("1GB", 1L << 30)]
    [TestCase("1048576", 1L << 20)]
    [TestCase("512K", 512L << 10)]
    [TestCase("1.5KiB", 1536L)]
    public void Byte_sizes_parse_with_binary_units(string text, long expected) =>
        Make(("chunksize", text)).GetByteSize("chunksize", 0).ShouldBe(expected);

    [Test]
    public void Byte_size_out_of_range_names_driver_parameter_value_and_range()
    {
        var error = Should.Throw<InvalidParameterException>(() => Make(("chunksize", "1MB")).GetByteSize("chunksize", 10L << 20, 5L << 20, 5L << 30));
        error.Message.ShouldBe("s3: parameter 'chunksize' has invalid value \"1MB\": expected a byte size such as 10MB from 5 MiB to 5 GiB");
        error.Parameter.ShouldBe("chunksize");
        error.DriverName.ShouldBe("s3");
    }

    [TestCase("100ms", 100)]
    [TestCase("2s", 2000)]
    [TestCase("1m30s", 90_000)]
    [TestCase("1.5h", 5_400_000)]
    [TestCase("00:00:03", 3000)]
    [TestCase("7", 7000)]
    public void Durations_parse_go_style(string text, int milliseconds) =>
        Make(("retry_delay", text)).GetDuration("retry_delay", TimeSpan.Zero).ShouldBe(TimeSpan.FromMilliseconds(milliseconds));

    [TestCase("10parsecs")]
    [TestCase("ms")]
    [TestCase("-")]
    public void Bad_durations_are_rejected(string text) =>
        Should.Throw<InvalidParameterException>(() => Make(("retry_delay", text)).GetDuration("retry_delay", TimeSpan.Zero))
            .Message.ShouldContain("expected a duration such as 100ms");

    [Test]
    public void Booleans_accept_strings_and_native_values()
    {
        Make(("secure", "TRUE")).GetBoolean("secure", false).ShouldBeTrue();
        Make(("secure", false)).GetBoolean("secure", true).ShouldBeFalse();
        Make().GetBoolean("secure", true).ShouldBeTrue();
        Should.Throw<InvalidParameterException>(() => Make(("secure", "yes please")).GetBoolean("secure", true)).Message.ShouldContain("true or false");
    }

    [Test]
    public void Integers_check_their_range()
    {
        Make(("maxthreads", "30")).GetInt32("maxthreads", 100, 25).ShouldBe(30);
        Make(("maxthreads", 40L)).GetInt32("maxthreads", 100, 25).ShouldBe(40);
        Should.Throw<InvalidParameterException>(() => Make(("maxthreads", "3")).GetInt32("maxthreads", 100, 25))
            .Message.ShouldContain("an integer of at least 25");
    }

    private enum Tier
    {
        Standard,
        ReducedRedundancy,
    }

    [Test]
    public void Enums_match_names_ignoring_case_and_underscores()
    {
        Make(("storageclass", "REDUCED_REDUNDANCY")).GetEnum("storageclass", Tier.Standard).ShouldBe(Tier.ReducedRedundancy);
        Should.Throw<InvalidParameterException>(() => Make(("storageclass", "GLACIER")).GetEnum("storageclass", Tier.Standard))
            .Message.ShouldContain("one of standard, reducedredundancy");
    }

    [Test]
    public void Secret_values_never_appear_in_errors()
    {
        var error = Should.Throw<InvalidParameterException>(() => Make(("secretkey", 12345)).GetBoolean("secretkey", false));
        error.Message.ShouldNotContain("12345");
        error.Message.ShouldContain("secret, hidden");
        Make(("accountkey", "abc")).Show("accountkey").ShouldBe("******");
        Make(("bucket", "abc")).Show("bucket").ShouldBe("abc");
    }

    [Test]
    public void Required_parameter_missing_says_what_is_expected() =>
        Should.Throw<InvalidParameterException>(() => Make().GetRequiredString("bucket"))
            .Message.ShouldBe("s3: parameter 'bucket' is required: expected a non-empty string");

    [Test]
    public void Unknown_parameters_are_named()
    {
        var error = Should.Throw<InvalidParameterException>(() => Make(("bukket", "x"), ("region", "r")).RejectUnknown(["bucket", "region"]));
        error.Parameter.ShouldBe("bukket");
        error.Message.ShouldContain("bucket, region");
    }

    [Test]
    public void Nested_maps_become_sections()
    {
        var credentials = new Dictionary<string, object?> { ["type"] = "client_secret", ["clientid"] = "id" };
        var section = Make(("credentials", credentials)).GetSection("credentials");
        section.ShouldNotBeNull();
        section.GetString("TYPE").ShouldBe("client_secret");
    }

    [Test]
    public void Lists_come_from_yaml_lists_or_commas()
    {
        Make(("tempurlmethods", "GET, HEAD")).GetStringList("tempurlmethods").ShouldBe(["GET", "HEAD"]);
        Make(("tempurlmethods", new List<object?> { "GET" })).GetStringList("tempurlmethods").ShouldBe(["GET"]);
    }
}
