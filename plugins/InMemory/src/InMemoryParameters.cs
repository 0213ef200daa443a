namespace Registry.Storage.Drivers.InMemory;

/// <summary>The inmemory driver's configuration.</summary>
/// <param name="RootDirectory">The namespace under which the driver keeps everything, as an absolute path without a trailing slash; empty for the store's root.</param>
/// <param name="StoreName">The process-wide store to use, shared by every driver naming it; <see langword="null"/> for a store private to the driver.</param>
public sealed record InMemoryParameters(string RootDirectory, string? StoreName)
{
    /// <summary>The parameter naming the root directory.</summary>
    public const string RootDirectoryName = "rootdirectory";

    /// <summary>The parameter naming the shared store.</summary>
    public const string StoreParameterName = "store";

    /// <summary>Every parameter the driver understands.</summary>
    public static IReadOnlyList<string> Known { get; } = [RootDirectoryName, StoreParameterName];

    /// <summary>Parses and validates <paramref name="parameters"/>; unknown names are rejected.</summary>
    /// <exception cref="InvalidParameterException">A value is invalid or a name unknown.</exception>
    public static InMemoryParameters Parse(DriverParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        parameters.RejectUnknown(Known);
        return new InMemoryParameters(ParseRoot(parameters), parameters.GetString(StoreParameterName)?.Trim());
    }

    // Accepts "/a/b", "a/b", "/a/b/" and "/" (or nothing) for the store's root; every segment must
    // be a valid path segment, so a root can never reach outside itself through "." or "..".
    private static string ParseRoot(DriverParameters parameters)
    {
        var raw = parameters.GetString(RootDirectoryName)?.Trim();
        if (raw is null)
        {
            return "";
        }

        var root = "/" + raw.Trim('/');
        if (root == StoragePath.Root)
        {
            return "";
        }

        return StoragePath.IsValid(root)
            ? root
            : throw parameters.Invalid(RootDirectoryName, raw, "an absolute path such as /registry made of segments of A-Z, a-z, 0-9, '.', '_' and '-' (no '.' or '..' segments)");
    }
}
