namespace Registry.Storage;

/// <summary>
/// Declares, in the plugin's metadata, the driver name (and aliases) a factory type serves.
/// The host reads it with <c>System.Reflection.Metadata</c> without running any plugin code,
/// so it can find the one plugin a configuration selects and leave every other plugin unloaded.
/// After loading, the factory's <see cref="IStorageDriverFactory.Name"/> and
/// <see cref="IStorageDriverFactory.Aliases"/> must agree with this declaration, or the host
/// refuses the plugin.
/// </summary>
/// <example><code>[StorageDriver("s3", Aliases = ["s3-aws"])] public sealed class S3DriverFactory : IStorageDriverFactory { … }</code></example>
/// <param name="name">The driver's registered name.</param>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class StorageDriverAttribute(string name) : Attribute
{
    /// <summary>The driver's registered name.</summary>
    public string Name { get; } = name;

    /// <summary>Other names the driver answers to.</summary>
#pragma warning disable CA1819 // attribute arguments are arrays by language rule
    public string[] Aliases { get; init; } = [];
#pragma warning restore CA1819
}
