namespace Registry.Storage.Drivers.Rados;

/// <summary>The rados driver's configuration, parsed and checked once (distribution's names).</summary>
/// <param name="PoolName">The RADOS pool holding everything.</param>
/// <param name="UserName">The cephx user without <c>client.</c>.</param>
/// <param name="ChunkSize">Bytes per stripe object: well below <c>osd_max_write_size</c> (90 MiB) and <c>osd_max_object_size</c> (128 MiB).</param>
/// <param name="ConfFile">A ceph.conf, or <see langword="null"/> for librados' default search.</param>
/// <param name="Keyring">A keyring file, or <see langword="null"/> for the conf file's.</param>
/// <param name="RootDirectory">Prefix of every object id (without leading or trailing slash; empty for none).</param>
/// <param name="Concurrency">Stripes in flight per writer and per reader.</param>
/// <param name="Timeout">Bounds connecting and every monitor and OSD operation.</param>
public sealed record RadosParameters(
    string PoolName,
    string UserName,
    int ChunkSize,
    string? ConfFile,
    string? Keyring,
    string RootDirectory,
    int Concurrency,
    TimeSpan Timeout)
{
    /// <summary>The stripe size when <c>chunksize</c> is unset.</summary>
    public const int DefaultChunkSize = 4 << 20;

    /// <summary>The smallest stripe accepted.</summary>
    public const int MinChunkSize = 64 << 10;

    /// <summary>The largest stripe accepted: one write of it stays under <c>osd_max_write_size</c> (90 MiB).</summary>
    public const int MaxChunkSize = 64 << 20;

    /// <summary>Parameter names.</summary>
    public const string PoolNameKey = "poolname", UserNameKey = "username", ChunkSizeKey = "chunksize", ConfFileKey = "conffile",
        KeyringKey = "keyring", RootDirectoryKey = "rootdirectory", ConcurrencyKey = "concurrency", TimeoutKey = "timeout";

    /// <summary>Every parameter the driver understands.</summary>
    public static IReadOnlyList<string> Known { get; } =
        [PoolNameKey, UserNameKey, ChunkSizeKey, ConfFileKey, KeyringKey, RootDirectoryKey, ConcurrencyKey, TimeoutKey];

    /// <summary>Reads and validates <paramref name="parameters"/>; unknown names fail so typos never go unnoticed.</summary>
    /// <exception cref="InvalidParameterException">A parameter is missing, unknown or out of range.</exception>
    public static RadosParameters Parse(DriverParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        parameters.RejectUnknown(Known);
        var root = (parameters.GetString(RootDirectoryKey) ?? string.Empty).Trim('/');
        if (root.Contains('\0', StringComparison.Ordinal) || root.Contains("//", StringComparison.Ordinal))
        {
            throw parameters.Invalid(RootDirectoryKey, root, "a path prefix without empty segments or NUL characters");
        }

        return new RadosParameters(
            PoolName: parameters.GetRequiredString(PoolNameKey, "the name of an existing RADOS pool"),
            UserName: parameters.GetString(UserNameKey, "admin")!,
            ChunkSize: (int)parameters.GetByteSize(ChunkSizeKey, DefaultChunkSize, MinChunkSize, MaxChunkSize),
            ConfFile: parameters.GetString(ConfFileKey),
            Keyring: parameters.GetString(KeyringKey),
            RootDirectory: root,
            Concurrency: parameters.GetInt32(ConcurrencyKey, 4, 1, 64),
            Timeout: parameters.GetDuration(TimeoutKey, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(1), TimeSpan.FromHours(1)));
    }
}
