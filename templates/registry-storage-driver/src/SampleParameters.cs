using Registry.Storage;

namespace Sample.StorageDriver;

/// <summary>
/// The driver's configuration, parsed from the <c>storage: { sampledriver: { ... } }</c> section
/// apart from building the driver, so the parsing is table-tested on its own.
/// </summary>
/// <param name="RootDirectory">The absolute folder under which every storage path is kept.</param>
public sealed record SampleParameters(string RootDirectory)
{
    /// <summary>The folder parameter; distribution's filesystem driver spells it the same way.</summary>
    public const string RootDirectoryName = "rootdirectory";

    /// <summary>Every parameter name the driver understands; anything else is a typo and is refused.</summary>
    public static IReadOnlyList<string> Known { get; } = [RootDirectoryName];

    /// <summary>Parses and checks the parameters; errors name the driver, the parameter, the value and what is allowed.</summary>
    /// <exception cref="Registry.Storage.InvalidParameterException">A parameter is missing, unknown or invalid.</exception>
    public static SampleParameters Parse(DriverParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        parameters.RejectUnknown(Known);
        var root = parameters.GetRequiredString(RootDirectoryName, "an absolute folder path");
        if (!Path.IsPathFullyQualified(root))
        {
            throw parameters.Invalid(RootDirectoryName, root, "an absolute folder path");
        }

        return new SampleParameters(Path.GetFullPath(root));
    }
}
