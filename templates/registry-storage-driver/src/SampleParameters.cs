using System.Text;
using Registry.Storage;
using Registry.Storage.Kit;

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

    /// <summary>
    /// Every parameter the driver understands, each declared once: the factory describes them
    /// from it, <see cref="Parse"/> refuses any other name (a typo fails) and reads each value
    /// through its declaration, so the default and range shown are the ones applied.
    /// </summary>
    public static DriverParameterTable Table { get; } = new(Declared.RootDirectory);

    /// <summary>Parses and checks the parameters; errors name the driver, the parameter, the value and what is allowed.</summary>
    /// <exception cref="Registry.Storage.InvalidParameterException">A parameter is missing, unknown or invalid.</exception>
    public static SampleParameters Parse(DriverParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Table.RejectUnknown(parameters);
        var root = Declared.RootDirectory.ReadRequired(parameters);
        if (!Path.IsPathFullyQualified(root))
        {
            throw parameters.Invalid(RootDirectoryName, root, "an absolute folder path");
        }

        return new SampleParameters(Path.GetFullPath(root));
    }

    // A record prints every property; the table masks those it declares Secret (add a
    // credential as `new StringParameter("secretkey", "...") { Secret = true }` and it never
    // reaches a log or an error message).
    private bool PrintMembers(StringBuilder builder) => Table.PrintMembers(builder, this);

    /// <summary>
    /// The parameters' declarations: name, type, description, default, range, and whether each is
    /// required or secret (kinds: StringParameter, BooleanParameter, Int32Parameter, SizeParameter,
    /// DurationParameter, ChoiceParameter, EnumParameter, StringListParameter, SectionParameter).
    /// </summary>
    public static class Declared
    {
        /// <summary><c>rootdirectory</c>: the folder everything is kept in.</summary>
        public static readonly StringParameter RootDirectory = new(RootDirectoryName,
            "The absolute folder under which everything is kept; a path /a/b is the file <rootdirectory>/a/b.")
        {
            Required = true,
            Expected = "an absolute folder path",
        };
    }
}
