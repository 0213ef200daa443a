namespace Registry.Storage.Bench;

/// <summary>How the peer reaches the same server: a bash fragment per workload (null: no equivalent).</summary>
internal sealed class PeerTool
{
    public required string Name { get; init; }

    /// <summary>(object, bytes) → script.</summary>
    public Func<string, long, string>? Write { get; init; }

    public Func<string, string>? Read { get; init; }

    public Func<string, string, string>? Move { get; init; }

    public Func<string, string>? List { get; init; }

    public Func<string, string>? Walk { get; init; }

    public Func<string, string>? Delete { get; init; }

    /// <summary>Evicts a file from the page cache before a timed read (filesystem only), so both sides read the disk.</summary>
    public Func<string, string>? DropCache { get; init; }

    /// <summary>Removes the peer's big objects after a repetition.</summary>
    public string? Cleanup { get; init; }

    /// <summary>
    /// The peer of <paramref name="driver"/> on the server <paramref name="environment"/> describes
    /// (REGSTORE_TEST_*), keys under <paramref name="benchRoot"/>; null when there is none (azure's
    /// peer is the SDK program, <see cref="PeerRunner.AzureSdk"/>). rclone reads its remote from
    /// RCLONE_CONFIG_* variables, which this adds to <paramref name="environment"/> (no config
    /// file, no secret on a command line).
    /// </summary>
    public static PeerTool? For(string driver, string benchRoot, Dictionary<string, string> environment)
    {
        string Get(string key) => environment.TryGetValue(key, out var v) ? v : "";
        switch (driver)
        {
            case "filesystem":
                return new PeerTool
                {
                    Name = "dd / mv / ls / find -printf / rm",
                    // conv=fsync: our commit makes the blob durable (fsync file and folder), so the peer must too.
                    Write = (o, n) => $"dd if=/dev/zero of='{benchRoot}/{o}' bs=1M count={n >> 20} conv=fsync status=none",
                    Read = o => $"dd if='{benchRoot}/{o}' of=/dev/null bs=1M status=none",
                    Move = (s, d) => $"mv '{benchRoot}/{s}' '{benchRoot}/{d}'",
                    List = d => $"ls -1 '{benchRoot}/{d}' > /dev/null",
                    // A walk reports each file's size and time, so find is asked for them too (it stats
                    // each entry only when asked; docs/benchmarks.md gives the bare find as well).
                    Walk = d => $"find '{benchRoot}/{d}' -printf '%s %T@ %p\\n' > /dev/null",
                    Delete = d => $"rm -rf '{benchRoot}/{d}'",
                    // POSIX_FADV_DONTNEED on that one file (both files are fsynced, so clean): no global drop_caches on a shared machine.
                    DropCache = f => $"dd if='{benchRoot}/{f}' iflag=nocache count=0 status=none",
                    Cleanup = $"rm -f '{benchRoot}/peer-big' '{benchRoot}/peer-big-moved'",
                };
            case "s3":
                environment["RCLONE_CONFIG_RGW_TYPE"] = "s3";
                environment["RCLONE_CONFIG_RGW_PROVIDER"] = "Ceph";
                environment["RCLONE_CONFIG_RGW_ACCESS_KEY_ID"] = Get("REGSTORE_TEST_S3_ACCESSKEY");
                environment["RCLONE_CONFIG_RGW_SECRET_ACCESS_KEY"] = Get("REGSTORE_TEST_S3_SECRETKEY");
                environment["RCLONE_CONFIG_RGW_ENDPOINT"] = Get("REGSTORE_TEST_S3_REGIONENDPOINT");
                environment["RCLONE_CONFIG_RGW_REGION"] = Get("REGSTORE_TEST_S3_REGION");
                return Rclone("rclone (s3)", $"rgw:{Get("REGSTORE_TEST_S3_BUCKET")}/{benchRoot}", "--s3-chunk-size 10M --s3-upload-concurrency 4");
            case "swift":
                environment["RCLONE_CONFIG_SW_TYPE"] = "swift";
                environment["RCLONE_CONFIG_SW_USER"] = Get("REGSTORE_TEST_SWIFT_USERNAME");
                environment["RCLONE_CONFIG_SW_KEY"] = Get("REGSTORE_TEST_SWIFT_PASSWORD");
                environment["RCLONE_CONFIG_SW_AUTH"] = Get("REGSTORE_TEST_SWIFT_AUTHURL");
                environment["RCLONE_CONFIG_SW_AUTH_VERSION"] = "1";
                return Rclone("rclone (swift)", $"sw:{Get("REGSTORE_TEST_SWIFT_CONTAINER")}/{benchRoot}/files", "--swift-chunk-size 20M");
            case "rados":
                return Rados(benchRoot, Get);
            default:
                return null;
        }
    }

    // rados has no directories, rename or prefix listing: only the stream figures have a peer.
    // Objects are capped at osd_max_object_size (128 MiB), so the peer stripes by hand as the driver does.
    // --admin-socket= : the services' ceph.conf gives the client an admin socket that the daemons' client already holds.
    private static PeerTool Rados(string benchRoot, Func<string, string> get)
    {
        var rados = $"rados --admin-socket= -c '{get("REGSTORE_TEST_RADOS_CONFFILE")}' --keyring '{get("REGSTORE_TEST_RADOS_KEYRING")}' -n client.{get("REGSTORE_TEST_RADOS_USERNAME")} -p '{get("REGSTORE_TEST_RADOS_POOLNAME")}'";
        const long stripe = 64L << 20;
        string Stripes(long n) => $"$(seq 0 {Math.Max(0, ((n + stripe - 1) / stripe) - 1)})";
        var size = 0L;
        return new PeerTool
        {
            Name = "rados put/get (64 MiB objects)",
            Write = (o, n) =>
            {
                size = n;
                return $"for i in {Stripes(n)}; do head -c {Math.Min(n, stripe)} /dev/zero | {rados} put '{benchRoot}-{o}.'$i -; done";
            },
            Read = o => $"for i in {Stripes(size)}; do {rados} get '{benchRoot}-{o}.'$i - > /dev/null; done",
            Cleanup = $"{rados} ls | {{ grep '^{benchRoot}-peer-big' || true; }} | xargs -r -n1 {rados} rm",
        };
    }

    // The machine's AWS_CA_BUNDLE breaks rclone (services.md), hence env -u; -q: no "config file not
    // found" notice per call (the remote is in the environment).
    private static PeerTool Rclone(string name, string prefix, string flags)
    {
        const string rclone = "env -u AWS_CA_BUNDLE rclone -q";
        return new PeerTool
        {
            Name = name,
            Write = (o, n) => $"head -c {n} /dev/zero | {rclone} rcat {flags} '{prefix}/{o}'",
            Read = o => $"{rclone} cat '{prefix}/{o}' > /dev/null",
            Move = (s, d) => $"{rclone} moveto '{prefix}/{s}' '{prefix}/{d}'",
            List = d => $"{rclone} lsf '{prefix}/{d}' > /dev/null",
            Walk = d => $"{rclone} lsf -R --fast-list '{prefix}/{d}' > /dev/null",
            Delete = d => $"{rclone} purge '{prefix}/{d}'",
            Cleanup = $"{rclone} delete '{prefix}' --include 'peer-big*' || true",
        };
    }
}
