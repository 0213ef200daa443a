using Registry.Storage.Kit;

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

    /// <summary>Every parameter the driver understands, each declared once.</summary>
    public static DriverParameterTable Table { get; } = new(Declared.RootDirectory, Declared.Store);

    /// <summary>Parses and validates <paramref name="parameters"/>; unknown names are rejected.</summary>
    /// <exception cref="InvalidParameterException">A value is invalid or a name unknown.</exception>
    public static InMemoryParameters Parse(DriverParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Table.RejectUnknown(parameters);
        return new InMemoryParameters(ParseRoot(parameters), Declared.Store.Read(parameters)?.Trim());
    }

    // Accepts "/a/b", "a/b", "/a/b/" and "/" (or nothing) for the store's root; every segment must
    // be a valid path segment, so a root can never reach outside itself through "." or "..".
    private static string ParseRoot(DriverParameters parameters)
    {
        var raw = Declared.RootDirectory.Read(parameters)!.Trim();
        var root = "/" + raw.Trim('/');
        if (root == StoragePath.Root)
        {
            return "";
        }

        return StoragePath.IsValid(root)
            ? root
            : throw parameters.Invalid(RootDirectoryName, raw, "an absolute path such as /registry made of segments of A-Z, a-z, 0-9, '.', '_' and '-' (no '.' or '..' segments)");
    }

    /// <summary>The parameters' declarations: name, default and description of each.</summary>
    public static class Declared
    {
        /// <summary><c>rootdirectory</c>: the namespace everything is kept under.</summary>
        public static readonly StringParameter RootDirectory = new(RootDirectoryName,
            "A prefix under which the driver keeps everything, isolating it from other drivers on the same store.") { Default = "/" };

        /// <summary><c>store</c>: the process-wide store to share.</summary>
        public static readonly StringParameter Store = new(StoreParameterName,
            "Names a process-wide store shared by every driver naming it (so a new driver instance sees earlier data and resumes its uploads: ResumableWrites); unset gives a store private to the driver (ResumableWrites = false).");
    }
}
