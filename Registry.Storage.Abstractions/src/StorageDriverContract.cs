namespace Registry.Storage;

/// <summary>
/// The version of this contract. The host loads a plugin compiled against the same major
/// version and the same or an older minor version; a newer minor or another major is refused
/// with a message naming both versions.
/// </summary>
public static class StorageDriverContract
{
    /// <summary>Changes when a member is removed or its meaning changes.</summary>
    public const int Major = 1;

    /// <summary>Changes when members are added (with default implementations).</summary>
    public const int Minor = 2;

    /// <summary>The contract version as a <see cref="System.Version"/>.</summary>
    public static Version Version { get; } = new(Major, Minor);

    /// <summary>Whether a plugin built against <paramref name="pluginContract"/> can run on this contract.</summary>
    public static bool IsCompatible(Version pluginContract) =>
        pluginContract.Major == Major && pluginContract.Minor <= Minor;
}
