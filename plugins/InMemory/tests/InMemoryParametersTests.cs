using Registry.Storage.Conformance;
using Registry.Storage.Drivers.InMemory;

namespace Registry.Storage.Drivers.InMemory.Tests;

public class InMemoryParametersTests
{
    private static DriverParameters Params(params (string Key, object? Value)[] values) =>
        new(InMemoryDriver.DriverName, values.Select(v => new KeyValuePair<string, object?>(v.Key, v.Value)));

    [TestCase(null, "")]
    [TestCase("", "")]
    [TestCase("/", "")]
    [TestCase("/registry", "/registry")]
    [TestCase("registry/", "/registry")]
    [TestCase("/a/b-c_d.e", "/a/b-c_d.e")]
    public void Rootdirectory_is_normalised_to_an_absolute_path_without_trailing_slash(string? raw, string expected)
    {
        var parsed = InMemoryParameters.Parse(raw is null ? Params() : Params(("rootdirectory", raw)));
        parsed.RootDirectory.ShouldBe(expected);
    }

    [TestCase("/a/../b")]
    [TestCase("/a/./b")]
    [TestCase("/a//b")]
    [TestCase("/a b")]
    [TestCase("/a~b")]
    public void Rootdirectory_with_dot_segments_or_invalid_characters_is_rejected_naming_the_parameter(string raw)
    {
        var error = Should.Throw<InvalidParameterException>(() => InMemoryParameters.Parse(Params(("rootdirectory", raw))));
        error.Parameter.ShouldBe("rootdirectory");
        error.DriverName.ShouldBe("inmemory");
        error.Message.ShouldContain(raw);
    }

    [Test]
    public void Store_defaults_to_a_private_store_and_is_kept_when_named()
    {
        InMemoryParameters.Parse(Params()).StoreName.ShouldBeNull();
        InMemoryParameters.Parse(Params(("store", "shared"))).StoreName.ShouldBe("shared");
    }

    [Test]
    public void Unknown_parameter_is_rejected_naming_it()
    {
        var error = Should.Throw<InvalidParameterException>(() => InMemoryParameters.Parse(Params(("rootdirecotry", "/x"))));
        error.Parameter.ShouldBe("rootdirecotry");
    }
}

/// <summary>The declared table and <see cref="InMemoryParameters.Parse"/> agree (names, defaults).</summary>
public sealed class InMemoryParameterTableTests() : DriverParametersConformance(new InMemoryDriverFactory(), InMemoryParameters.Table, InMemoryParameters.Parse);
