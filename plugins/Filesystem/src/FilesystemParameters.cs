using Registry.Storage.Kit;

namespace Registry.Storage.Drivers.Filesystem;

/// <summary>The filesystem driver's configuration (distribution's names and defaults).</summary>
/// <param name="RootDirectory">The absolute folder under which everything is kept.</param>
/// <param name="MaxThreads">How many blocking file operations may run at once (distribution's regulator).</param>
public sealed record FilesystemParameters(string RootDirectory, int MaxThreads)
{
    /// <summary>The parameter naming the root folder.</summary>
    public const string RootDirectoryName = "rootdirectory";

    /// <summary>distribution's default for <c>maxthreads</c>.</summary>
    public const int DefaultMaxThreads = 100;

    /// <summary>distribution's floor for <c>maxthreads</c>: lower values are raised to it.</summary>
    public const int MinThreads = 25;

    /// <summary>Every parameter the driver understands, each declared once.</summary>
    public static DriverParameterTable Table { get; } = new(Declared.RootDirectory, Declared.MaxThreads);

    /// <summary>Parses and validates <paramref name="parameters"/>; unknown names are rejected.</summary>
    /// <exception cref="InvalidParameterException">A value is invalid or a name unknown.</exception>
    public static FilesystemParameters Parse(DriverParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Table.RejectUnknown(parameters);

        var raw = Declared.RootDirectory.Read(parameters)!.Trim();
        string root;
        try
        {
            // Relative roots are taken from the working directory, as Go's filepath.Join does.
            root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(raw));
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw parameters.Invalid(RootDirectoryName, raw, "a folder path");
        }

        if (raw.Contains('\0', StringComparison.Ordinal))
        {
            throw parameters.Invalid(RootDirectoryName, raw, "a folder path");
        }

        // Like distribution's GetLimitFromParameter: below the floor is raised to it, not refused.
        var maxThreads = Math.Max(MinThreads, Declared.MaxThreads.Read(parameters));
        return new FilesystemParameters(root, maxThreads);
    }

    /// <summary>The parameters' declarations: name, default, range and description of each.</summary>
    public static class Declared
    {
        /// <summary><c>rootdirectory</c>: distribution's default root.</summary>
        public static readonly StringParameter RootDirectory = new(RootDirectoryName,
            "The folder under which everything is kept; a path /a/b is the file <rootdirectory>/a/b.") { Default = "/var/lib/registry" };

        /// <summary><c>maxthreads</c>: distribution's regulator.</summary>
        public static readonly Int32Parameter MaxThreads = new("maxthreads",
            $"How many blocking file operations may run at once; values below {MinThreads} are raised to it.") { Default = DefaultMaxThreads, Min = 1 };
    }
}
