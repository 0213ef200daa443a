namespace Registry.Storage.Drivers.Filesystem;

/// <summary>The filesystem driver's configuration (distribution's names and defaults).</summary>
/// <param name="RootDirectory">The absolute folder under which everything is kept.</param>
/// <param name="MaxThreads">How many blocking file operations may run at once (distribution's regulator).</param>
public sealed record FilesystemParameters(string RootDirectory, int MaxThreads)
{
    /// <summary>The parameter naming the root folder.</summary>
    public const string RootDirectoryName = "rootdirectory";

    /// <summary>The parameter bounding concurrent file operations.</summary>
    public const string MaxThreadsName = "maxthreads";

    /// <summary>distribution's default root.</summary>
    public const string DefaultRootDirectory = "/var/lib/registry";

    /// <summary>distribution's default for <c>maxthreads</c>.</summary>
    public const int DefaultMaxThreads = 100;

    /// <summary>distribution's floor for <c>maxthreads</c>: lower values are raised to it.</summary>
    public const int MinThreads = 25;

    /// <summary>Every parameter the driver understands.</summary>
    public static IReadOnlyList<string> Known { get; } = [RootDirectoryName, MaxThreadsName];

    /// <summary>Parses and validates <paramref name="parameters"/>; unknown names are rejected.</summary>
    /// <exception cref="InvalidParameterException">A value is invalid or a name unknown.</exception>
    public static FilesystemParameters Parse(DriverParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        parameters.RejectUnknown(Known);

        var raw = parameters.GetString(RootDirectoryName)?.Trim() ?? DefaultRootDirectory;
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
        var maxThreads = Math.Max(MinThreads, parameters.GetInt32(MaxThreadsName, DefaultMaxThreads, min: 1));
        return new FilesystemParameters(root, maxThreads);
    }
}
