using Registry.Storage.Kit;

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
    /// <summary>The smallest stripe accepted.</summary>
    public const int MinChunkSize = 64 << 10;

    /// <summary>The largest stripe accepted: one write of it stays under <c>osd_max_write_size</c> (90 MiB).</summary>
    public const int MaxChunkSize = 64 << 20;

    /// <summary>Every parameter the driver understands, each declared once.</summary>
    public static DriverParameterTable Table { get; } = new(
        Declared.PoolName, Declared.UserName, Declared.ChunkSize, Declared.ConfFile, Declared.Keyring, Declared.RootDirectory, Declared.Concurrency, Declared.Timeout);

    /// <summary>Reads and validates <paramref name="parameters"/>; unknown names fail so typos never go unnoticed.</summary>
    /// <exception cref="InvalidParameterException">A parameter is missing, unknown or out of range.</exception>
    public static RadosParameters Parse(DriverParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Table.RejectUnknown(parameters);
        var root = Declared.RootDirectory.Read(parameters)!.Trim('/');
        if (root.Contains('\0', StringComparison.Ordinal) || root.Contains("//", StringComparison.Ordinal))
        {
            throw parameters.Invalid(Declared.RootDirectory.Name, root, "a path prefix without empty segments or NUL characters");
        }

        return new RadosParameters(
            PoolName: Declared.PoolName.ReadRequired(parameters),
            UserName: Declared.UserName.Read(parameters)!,
            ChunkSize: (int)Declared.ChunkSize.Read(parameters),
            ConfFile: Declared.ConfFile.Read(parameters),
            Keyring: Declared.Keyring.Read(parameters),
            RootDirectory: root,
            Concurrency: Declared.Concurrency.Read(parameters),
            Timeout: Declared.Timeout.Read(parameters));
    }

    /// <summary>The parameters' declarations: name, default, range and description of each.</summary>
    public static class Declared
    {
        /// <summary><c>poolname</c></summary>
        public static readonly StringParameter PoolName = new("poolname", "The RADOS pool that holds the tree.") { Required = true, Expected = "the name of an existing RADOS pool" };

        /// <summary><c>username</c></summary>
        public static readonly StringParameter UserName = new("username", "The cephx user (without 'client.').") { Default = "admin" };

        /// <summary><c>chunksize</c>: well below <c>osd_max_write_size</c> (90 MiB) and <c>osd_max_object_size</c> (128 MiB).</summary>
        public static readonly SizeParameter ChunkSize = new("chunksize", "Bytes per stripe object.") { Default = 4 << 20, Min = MinChunkSize, Max = MaxChunkSize };

        /// <summary><c>conffile</c></summary>
        public static readonly StringParameter ConfFile = new("conffile", "A ceph.conf for a cluster outside /etc/ceph.") { DefaultDescription = "librados' search: $CEPH_CONF, /etc/ceph/ceph.conf" };

        /// <summary><c>keyring</c></summary>
        public static readonly StringParameter Keyring = new("keyring", "A keyring file overriding the conf file's.") { DefaultDescription = "the conf file's" };

        /// <summary><c>rootdirectory</c></summary>
        public static readonly StringParameter RootDirectory = new("rootdirectory", "A prefix for every object id, so several trees share one pool.") { Default = "" };

        /// <summary><c>concurrency</c></summary>
        public static readonly Int32Parameter Concurrency = new("concurrency", "Stripes in flight per writer and per reader.") { Default = 4, Min = 1, Max = 64 };

        /// <summary><c>timeout</c></summary>
        public static readonly DurationParameter Timeout = new("timeout", "Bounds connecting and every monitor and OSD operation.")
        {
            Default = TimeSpan.FromSeconds(30),
            Min = TimeSpan.FromSeconds(1),
            Max = TimeSpan.FromHours(1),
        };
    }
}
