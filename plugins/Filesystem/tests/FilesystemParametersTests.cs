using Registry.Storage.Conformance;
using Registry.Storage.Drivers.Filesystem;

namespace Registry.Storage.Drivers.Filesystem.Tests;

public class FilesystemParametersTests
{
    private static DriverParameters Params(params (string Key, object? Value)[] values) =>
        new(FilesystemDriver.DriverName, values.Select(v => new KeyValuePair<string, object?>(v.Key, v.Value)));

    [Test]
    public void Defaults_are_distributions()
    {
        var parsed = FilesystemParameters.Parse(Params());
        parsed.RootDirectory.ShouldBe("/var/lib/registry");
        parsed.MaxThreads.ShouldBe(100);
    }

    [TestCase("/srv/registry", "/srv/registry")]
    [TestCase("/srv/registry/", "/srv/registry")]
    [TestCase("/srv/./registry/../registry", "/srv/registry")]
    [TestCase("/", "/")]
    public void Rootdirectory_is_made_absolute_and_normalised(string raw, string expected)
    {
        FilesystemParameters.Parse(Params(("rootdirectory", raw))).RootDirectory.ShouldBe(expected);
    }

    [Test]
    public void Relative_rootdirectory_is_taken_from_the_working_directory()
    {
        FilesystemParameters.Parse(Params(("rootdirectory", "data"))).RootDirectory
            .ShouldBe(Path.Combine(Directory.GetCurrentDirectory(), "data"));
    }

    [TestCase(25, 25)]
    [TestCase(10, 25)]
    [TestCase(1, 25)]
    [TestCase(100, 100)]
    [TestCase(500, 500)]
    [TestCase("64", 64)]
    public void Maxthreads_below_the_minimum_is_raised_to_25_like_distribution(object raw, int expected)
    {
        FilesystemParameters.Parse(Params(("maxthreads", raw))).MaxThreads.ShouldBe(expected);
    }

    [TestCase("many")]
    [TestCase("1.5")]
    [TestCase(0)]
    [TestCase(-3)]
    public void Maxthreads_that_is_not_a_positive_integer_is_rejected_naming_parameter_and_value(object raw)
    {
        var error = Should.Throw<InvalidParameterException>(() => FilesystemParameters.Parse(Params(("maxthreads", raw))));
        error.Parameter.ShouldBe("maxthreads");
        error.DriverName.ShouldBe("filesystem");
        error.Message.ShouldContain(Convert.ToString(raw, System.Globalization.CultureInfo.InvariantCulture)!);
    }

    [Test]
    public void Unknown_parameter_is_rejected_naming_it()
    {
        Should.Throw<InvalidParameterException>(() => FilesystemParameters.Parse(Params(("rootdir", "/x")))).Parameter.ShouldBe("rootdir");
    }

    [Test]
    public void Factory_declares_distributions_defaults()
    {
        var declared = new FilesystemDriverFactory().Parameters;
        declared.Single(p => p.Name == "rootdirectory").Default.ShouldBe("/var/lib/registry");
        declared.Single(p => p.Name == "maxthreads").Default.ShouldBe("100");
        declared.ShouldAllBe(p => !p.Secret);
    }
}

/// <summary>The declared table and <see cref="FilesystemParameters.Parse"/> agree (names, defaults).</summary>
public sealed class FilesystemParameterTableTests() : DriverParametersConformance(new FilesystemDriverFactory(), FilesystemParameters.Table, FilesystemParameters.Parse);
