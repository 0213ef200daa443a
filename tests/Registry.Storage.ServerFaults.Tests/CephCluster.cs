using System.Diagnostics;
using System.Globalization;
using Registry.Storage.Conformance;

namespace Registry.Storage.ServerFaults.Tests;

/// <summary>
/// A throwaway Ceph cluster of several OSDs, started and stopped through <c>services/ceph/</c>
/// (<c>start.sh</c> with <c>REGSTORE_CEPH_OSDS</c>, <c>stop.sh</c>, <c>restart-osd.sh</c>,
/// <c>wait-clean.sh</c>, <c>primary-osd.sh</c>, <c>serve-from-osd.sh</c>) with a state folder and ports of its own, so it
/// never touches the shared one-OSD cluster the other test projects use.
/// </summary>
/// <remarks>
/// State: <c>REGSTORE_FAULTS_CEPH_DIR</c>, else <c>regstore-osd-kill-{port base}</c> under the temp
/// folder (removed on dispose; a crashed run's cluster there is stopped by the next start). Ports: <c>REGSTORE_FAULTS_CEPH_PORT_BASE</c> (default 20000) + 3300 / 6789 for the
/// mon, + 6800..6899 for the OSDs (the shared cluster uses base 10000).
/// </remarks>
internal sealed class CephCluster : IAsyncDisposable
{
    private readonly Dictionary<string, string> _environment;
    private readonly bool _ownsDirectory;
    private int? _servingFrom;

    private CephCluster(string servicesDirectory, bool ownsDirectory, int osds, Dictionary<string, string> environment)
    {
        ServicesDirectory = servicesDirectory;
        _ownsDirectory = ownsDirectory;
        Osds = osds;
        _environment = environment;
    }

    /// <summary>The cluster's <c>REGSTORE_SERVICES_DIR</c> (its state is in <c>ceph/</c> below it).</summary>
    public string ServicesDirectory { get; }

    /// <summary>How many OSDs the cluster has (ids 0 to <c>Osds - 1</c>).</summary>
    public int Osds { get; }

    /// <summary>The rados driver's parameters for this cluster, from the <c>ceph.env</c> start.sh wrote.</summary>
    public DriverParameters Parameters { get; private set; } = null!;

    /// <summary>How long <c>start.sh</c> took.</summary>
    public TimeSpan StartTime { get; private set; }

    /// <summary>Whether the Ceph daemons and Debian's python3 (with the rados module) are installed.</summary>
    public static bool IsInstalled =>
        File.Exists("/usr/bin/python3")
        && new[] { "ceph-mon", "ceph-osd" }.All(tool => (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(':', StringSplitOptions.RemoveEmptyEntries).Any(dir => File.Exists(Path.Combine(dir, tool))));

    /// <summary>Starts a fresh cluster of <paramref name="osds"/> OSDs without radosgw; returns once every PG is active+clean.</summary>
    /// <exception cref="InvalidOperationException">The cluster did not start; the message holds the script's output and log tails.</exception>
    public static async Task<CephCluster> StartAsync(int osds, string blockSize)
    {
        var portBase = int.TryParse(Environment.GetEnvironmentVariable("REGSTORE_FAULTS_CEPH_PORT_BASE"), CultureInfo.InvariantCulture, out var b) ? b : 20000;

        // Named by the ports, not the run: start.sh first stops whatever a crashed run left there
        // (it would hold the ports), then starts clean.
        var configured = Environment.GetEnvironmentVariable("REGSTORE_FAULTS_CEPH_DIR");
        var directory = configured ?? Path.Combine(Path.GetTempPath(), $"regstore-osd-kill-{portBase}");
        Directory.CreateDirectory(directory);
        var environment = new Dictionary<string, string>
        {
            ["REGSTORE_SERVICES_DIR"] = directory,
            ["REGSTORE_CEPH_OSDS"] = osds.ToString(CultureInfo.InvariantCulture),
            ["REGSTORE_CEPH_RGW"] = "0",
            ["REGSTORE_CEPH_BLOCK_SIZE"] = blockSize,
            ["REGSTORE_CEPH_MON_V2_PORT"] = (portBase + 3300).ToString(CultureInfo.InvariantCulture),
            ["REGSTORE_CEPH_MON_V1_PORT"] = (portBase + 6789).ToString(CultureInfo.InvariantCulture),
            ["REGSTORE_CEPH_OSD_PORT_MIN"] = (portBase + 6800).ToString(CultureInfo.InvariantCulture),
            ["REGSTORE_CEPH_OSD_PORT_MAX"] = (portBase + 6899).ToString(CultureInfo.InvariantCulture),
            ["REGSTORE_CEPH_RGW_PORT"] = (portBase + 7480).ToString(CultureInfo.InvariantCulture),
        };
        var cluster = new CephCluster(directory, configured is null, osds, environment);
        var clock = Stopwatch.StartNew();
        try
        {
            await cluster.RunAsync("start.sh", [], TimeSpan.FromMinutes(4));
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }

        cluster.StartTime = clock.Elapsed;
        cluster.Parameters = ReadParameters(Path.Combine(directory, "ceph.env"));
        return cluster;
    }

    /// <summary>SIGKILLs osd.<paramref name="id"/> at once (no script in between: a RADOS call takes milliseconds) and returns once it is gone.</summary>
    public async Task KillOsdAsync(int id)
    {
        if (!IsRunning(OsdPid(id)))
        {
            throw new InvalidOperationException($"osd.{id} is not running");
        }

        using var process = Process.GetProcessById(OsdPid(id));
        var pid = process.Id;
        process.Kill(); // SIGKILL
        for (var waited = Stopwatch.StartNew(); IsRunning(pid); await Task.Delay(20))
        {
            if (waited.Elapsed > TimeSpan.FromSeconds(10))
            {
                throw new InvalidOperationException($"osd.{id} (pid {pid}) survived SIGKILL for 10 s");
            }
        }
    }

    /// <summary>Starts osd.<paramref name="id"/> again (unless it runs) and returns once the mon has it up and a RADOS write succeeds.</summary>
    public Task StartOsdAsync(int id) => RunAsync("restart-osd.sh", ["--start-only", id.ToString(CultureInfo.InvariantCulture)], TimeSpan.FromMinutes(4));

    /// <summary>Starts every OSD that is not running.</summary>
    public async Task StartEveryOsdAsync()
    {
        for (var id = 0; id < Osds; id++)
        {
            if (!IsRunning(OsdPid(id)))
            {
                await StartOsdAsync(id);
            }
        }
    }

    /// <summary>Waits until HEALTH_OK with every PG active+clean (failing after <paramref name="bound"/>); returns how long it took.</summary>
    public async Task<TimeSpan> WaitCleanAsync(TimeSpan bound)
    {
        var clock = Stopwatch.StartNew();
        await RunAsync("wait-clean.sh", [((int)bound.TotalSeconds).ToString(CultureInfo.InvariantCulture)], bound + TimeSpan.FromSeconds(60));
        return clock.Elapsed;
    }

    /// <summary>
    /// Makes osd.<paramref name="id"/> the primary of every PG it holds (primary affinity 0 for the
    /// others), so reads come from its own copies; returns once those PGs are active+clean with it as primary.
    /// </summary>
    public async Task ServeFromAsync(int id)
    {
        _servingFrom = id;
        await RunAsync("serve-from-osd.sh", [id.ToString(CultureInfo.InvariantCulture)], TimeSpan.FromMinutes(3));
    }

    /// <summary>Undoes <see cref="ServeFromAsync"/> (if it was called) and returns once every PG is active+clean.</summary>
    public async Task EveryOsdServesAgainAsync()
    {
        if (_servingFrom is not null)
        {
            await RunAsync("serve-from-osd.sh", ["--all"], TimeSpan.FromMinutes(3));
            _servingFrom = null;
        }
    }

    /// <summary>The acting primary OSD of the RADOS object <paramref name="objectName"/> in the pool.</summary>
    public async Task<int> PrimaryOfAsync(string objectName) =>
        int.Parse(await RunAsync("primary-osd.sh", [objectName], TimeSpan.FromMinutes(1)), CultureInfo.InvariantCulture);

    /// <summary>Resident and peak resident memory (VmRSS, VmHWM) of each running OSD, in bytes.</summary>
    public IReadOnlyList<(int Id, long Rss, long Peak)> OsdMemory()
    {
        var result = new List<(int, long, long)>();
        for (var id = 0; id < Osds; id++)
        {
            string[] lines;
            try
            {
                lines = File.ReadAllLines(Path.Combine("/proc", OsdPid(id).ToString(CultureInfo.InvariantCulture), "status"));
            }
            catch (IOException)
            {
                continue; // not running
            }

            // A killed OSD not yet reaped (a zombie) has no memory lines.
            long? Kb(string key) => lines.FirstOrDefault(l => l.StartsWith(key, StringComparison.Ordinal)) is { } line
                ? long.Parse(line[key.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024
                : null;
            if (Kb("VmRSS:") is { } rss && Kb("VmHWM:") is { } peak)
            {
                result.Add((id, rss, peak));
            }
        }

        return result;
    }

    /// <summary>Stops the cluster (stop.sh) and removes its state folder when this run created it.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await RunAsync("stop.sh", [], TimeSpan.FromMinutes(2));
        }
        finally
        {
            if (_ownsDirectory && Directory.Exists(ServicesDirectory))
            {
                Directory.Delete(ServicesDirectory, recursive: true);
            }
        }
    }

    private Task<string> RunAsync(string script, string[] arguments, TimeSpan timeout) =>
        ServiceScript.RunAsync("ceph/" + script, arguments, _environment, timeout);

    private int OsdPid(int id)
    {
        var pidFile = Path.Combine(ServicesDirectory, "ceph", "run", $"osd.{id}.pid");
        return File.Exists(pidFile) && int.TryParse(File.ReadAllText(pidFile).Trim(), CultureInfo.InvariantCulture, out var pid) ? pid : 0;
    }

    // Zombies linger in this sandbox: a process counts as gone once its state is Z or X.
    private static bool IsRunning(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var state = stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[0];
            return pid > 0 && state is not ("Z" or "X");
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static DriverParameters ReadParameters(string envFile)
    {
        const string Prefix = "REGSTORE_TEST_RADOS_";
        var values = File.ReadAllLines(envFile)
            .Where(line => line.StartsWith(Prefix, StringComparison.Ordinal) && line.Contains('=', StringComparison.Ordinal))
            .ToDictionary(line => line[Prefix.Length..line.IndexOf('=', StringComparison.Ordinal)].ToLowerInvariant(), line => (object?)line[(line.IndexOf('=', StringComparison.Ordinal) + 1)..]);
        return new DriverParameters("rados", values);
    }
}
