using Registry.Storage;
using Registry.Storage.Conformance;
using Sample.StorageDriver;

namespace Sample.StorageDriver.Tests;

public sealed class SampleParametersTests
{
    private static DriverParameters Parameters(params (string Key, object? Value)[] values) =>
        new(SampleDriver.DriverName, values.Select(v => new KeyValuePair<string, object?>(v.Key, v.Value)));

    [TestCase("/var/lib/registry", "/var/lib/registry")]
    [TestCase("/var/lib/registry/", "/var/lib/registry/")]
    [TestCase("/tmp/a/../b", "/tmp/b")]
    public void Parse_AcceptsAnAbsoluteRootDirectory(string value, string expected) =>
        SampleParameters.Parse(Parameters(("rootdirectory", value))).RootDirectory.ShouldBe(expected);

    [Test]
    public void Parse_TakesParameterNamesCaseInsensitively() =>
        SampleParameters.Parse(Parameters(("RootDirectory", "/data"))).RootDirectory.ShouldBe("/data");

    [TestCase(null, "rootdirectory")]
    [TestCase("", "rootdirectory")]
    [TestCase("relative/folder", "relative/folder")]
    public void Parse_RefusesAMissingOrRelativeRootDirectory_NamingDriverAndParameter(string? value, string named)
    {
        var error = Should.Throw<InvalidParameterException>(() => SampleParameters.Parse(value is null ? Parameters() : Parameters(("rootdirectory", value))));
        error.DriverName.ShouldBe(SampleDriver.DriverName);
        error.Message.ShouldContain("rootdirectory");
        error.Message.ShouldContain(named);
    }

    [Test]
    public void Parse_RefusesAnUnknownParameter_SoATypoFails()
    {
        var error = Should.Throw<InvalidParameterException>(() => SampleParameters.Parse(Parameters(("rootdirectory", "/data"), ("rootdirectroy", "/x"))));
        error.Message.ShouldContain("rootdirectroy");
    }
}

/// <summary>
/// The declared table and <see cref="SampleParameters.Parse"/> agree: the factory describes the
/// table, and every declared default parses as the unset parameter does.
/// </summary>
public sealed class SampleParameterTableTests() : DriverParametersConformance(
    new SampleDriverFactory(), SampleParameters.Table, SampleParameters.Parse,
    new Dictionary<string, object?> { [SampleParameters.RootDirectoryName] = Path.GetTempPath() });
