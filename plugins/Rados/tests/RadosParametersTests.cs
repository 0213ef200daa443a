using Registry.Storage.Conformance;

namespace Registry.Storage.Drivers.Rados.Tests;

public sealed class RadosParametersTests
{
    private static DriverParameters Make(params (string Name, object? Value)[] values) =>
        new(RadosDriver.DriverName, values.Select(v => new KeyValuePair<string, object?>(v.Name, v.Value)));

    [Test]
    public void Only_poolname_gives_distributions_defaults()
    {
        var parsed = RadosParameters.Parse(Make(("poolname", "registry")));

        parsed.ShouldBe(new RadosParameters("registry", "admin", 4 << 20, null, null, string.Empty, 4, TimeSpan.FromSeconds(30)));
    }

    [TestCase("4MB", 4 << 20)]
    [TestCase("4000000", 4_000_000)]
    [TestCase("4MiB", 4 << 20)]
    [TestCase("65536", 65536)]
    [TestCase("64MiB", 64 << 20)]
    public void Chunksize_accepts_sizes_within_the_object_limits(string value, int expected) =>
        RadosParameters.Parse(Make(("poolname", "p"), ("chunksize", value))).ChunkSize.ShouldBe(expected);

    [TestCase("1KB")]
    [TestCase("65MiB")]
    [TestCase("128MiB")]
    [TestCase("lots")]
    public void Chunksize_outside_64KiB_to_64MiB_is_rejected_naming_the_parameter(string value)
    {
        var error = Should.Throw<InvalidParameterException>(() => RadosParameters.Parse(Make(("poolname", "p"), ("chunksize", value))));

        error.Parameter.ShouldBe("chunksize");
        error.DriverName.ShouldBe("rados");
    }

    [Test]
    public void Missing_poolname_is_rejected_as_required()
    {
        var error = Should.Throw<InvalidParameterException>(() => RadosParameters.Parse(Make(("username", "admin"))));

        error.Parameter.ShouldBe("poolname");
        error.Message.ShouldContain("required");
    }

    [Test]
    public void Unknown_parameter_is_rejected_so_typos_fail()
    {
        var error = Should.Throw<InvalidParameterException>(() => RadosParameters.Parse(Make(("poolname", "p"), ("chunksise", "4MB"))));

        error.Parameter.ShouldBe("chunksise");
    }

    [TestCase("/a/b/", "a/b")]
    [TestCase("root", "root")]
    [TestCase("/", "")]
    public void Rootdirectory_is_kept_without_leading_or_trailing_slash(string value, string expected) =>
        RadosParameters.Parse(Make(("poolname", "p"), ("rootdirectory", value))).RootDirectory.ShouldBe(expected);

    [Test]
    public void Rootdirectory_with_an_empty_segment_is_rejected() =>
        Should.Throw<InvalidParameterException>(() => RadosParameters.Parse(Make(("poolname", "p"), ("rootdirectory", "a//b"))))
            .Parameter.ShouldBe("rootdirectory");

    [Test]
    public void Every_setting_is_read()
    {
        var parsed = RadosParameters.Parse(Make(
            ("POOLNAME", "p"), ("username", "registry"), ("conffile", "/etc/c.conf"), ("keyring", "/etc/k"),
            ("concurrency", "8"), ("timeout", "5s"), ("rootdirectory", "r")));

        parsed.ShouldBe(new RadosParameters("p", "registry", 4 << 20, "/etc/c.conf", "/etc/k", "r", 8, TimeSpan.FromSeconds(5)));
    }

    [Test]
    public void Factory_describes_poolname_as_required()
    {
        var factory = new RadosDriverFactory();

        factory.Name.ShouldBe("rados");
        factory.Parameters.Single(p => p.Name == "poolname").Required.ShouldBeTrue();
    }
}

/// <summary>The declared table and <see cref="RadosParameters.Parse"/> agree (names, defaults).</summary>
public sealed class RadosParameterTableTests() : DriverParametersConformance(
    new RadosDriverFactory(), RadosParameters.Table, RadosParameters.Parse, new Dictionary<string, object?> { ["poolname"] = "registry" });
