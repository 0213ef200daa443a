// Loaded by build.cake (#load "build/bench.cake"); uses root, artifacts, hostOut, configuration,
// quick, servicesDir, Exec, Services() and LoadServiceEnvironment().
//
// ./build.sh bench [--quick] [--bench-drivers=s3,swift] [--bench-reps=N] [--bench-big=1GiB]
//                  [--bench-list=1000] [--bench-walk=10000] [--bench-delete=10000] [--bench-small=200]
//                  [--bench-delete-reps=N] [--bench-no-build] [--bench-registry=serve,gc] [--bench-gc-blobs=10000]
// ./build.sh bench-registry [--bench-registry=serve,gc] [--bench-gc-blobs=10000] [--bench-reps=N]
//
// For each driver, the workloads of issue 12 run through our driver and through the peer tool on
// the same server, alternating ours/peer inside every repetition. Our side is ONE process per
// driver (bench/Registry.Storage.DriverBench in serve mode: the driver is created once, each
// workload is a line on its stdin and answers with a RESULT line, timed inside the process); the
// peer runs between our workloads, timed by bash's $EPOCHREALTIME around the command (so its
// process start-up counts, bash's does not) and measured for peak RSS by GNU time.
// Medians and spreads go to docs/benchmarks.md between the `bench:begin/end` markers, SVG charts
// (written here) to docs/benchmarks/charts/. --quick is a smoke run (small sizes, one repetition)
// that writes to artifacts/bench/ instead, so it never rewrites the committed report; it proves
// the command works and asserts nothing about speed. The test task runs the same quick run as one
// check (RunQuickBenchCheck) against the servers it started.
using System.Globalization;

/// <summary>Sizes and repetitions of one bench run (full defaults = issue 12; quick = smoke).</summary>
sealed class BenchOptions
{
    public bool Quick { get; init; }
    public int Reps { get; init; }
    public int DeleteReps { get; init; }
    public string Big { get; init; }
    public int List { get; init; }
    public int Walk { get; init; }
    public int Delete { get; init; }
    public int Small { get; init; }
    public string[] Drivers { get; init; }
    public string Out { get; init; }
    /// <summary>Where each driver's plugin folder is copied from when that driver starts (DIR/&lt;driver&gt;).</summary>
    public string Plugins { get; init; }
    public string CommandLine => $"./build.sh bench{(Quick ? " --quick" : "")} --bench-reps={Reps} --bench-delete-reps={DeleteReps} --bench-big={Big} --bench-list={List} --bench-walk={Walk} --bench-delete={Delete} --bench-small={Small} --bench-drivers={string.Join(",", Drivers)}";
}

// The test task passes fromArguments: false so its smoke run is the same whatever else is on the command line.
BenchOptions BenchOptionsFor(bool quickMode, bool fromArguments)
{
    T Arg<T>(string name, T fallback) => fromArguments ? Argument(name, fallback) : fallback;
    var reps = Arg("bench-reps", quickMode ? 1 : 3);
    return new BenchOptions
    {
        Quick = quickMode,
        Reps = reps,
        DeleteReps = Math.Min(reps, Arg("bench-delete-reps", reps)),
        Big = Arg("bench-big", quickMode ? "8MiB" : "1GiB"),
        List = Arg("bench-list", quickMode ? 50 : 1000),
        Walk = Arg("bench-walk", quickMode ? 200 : 10000),
        Delete = Arg("bench-delete", quickMode ? 200 : 10000),
        Small = Arg("bench-small", quickMode ? 10 : 200),
        Drivers = Arg("bench-drivers", "filesystem,s3,rados,swift,azure").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
        Out = quickMode ? $"{artifacts}/bench" : $"{root}/docs",
        Plugins = Arg("bench-plugins", $"{hostOut}/plugins"),
    };
}

string benchProject => $"{root}/bench/Registry.Storage.DriverBench/Registry.Storage.DriverBench.csproj";
string benchBin => $"{root}/bench/Registry.Storage.DriverBench/bin/{configuration}/net10.0";
string azurePeerProject => $"{root}/plugins/Azure/bench/Registry.Storage.Drivers.Azure.Bench.csproj";
string azurePeerBin => $"{root}/plugins/Azure/bench/bin/{configuration}/net10.0";

// Which service each driver needs and the variable that proves it is up.
var benchServices = new Dictionary<string, (string Service, string Probe)>
{
    ["s3"] = ("ceph", "REGSTORE_TEST_S3_BUCKET"),
    ["rados"] = ("ceph", "REGSTORE_TEST_RADOS_POOLNAME"),
    ["swift"] = ("swift", "REGSTORE_TEST_SWIFT_CONTAINER"),
    ["azure"] = ("azurite", "REGSTORE_TEST_AZURE_CONTAINER"),
};

// The memory target of issue 12: chunk x (concurrency + 1) + 64 MiB. These are the drivers' defaults;
// each run replaces them with what DriverBench reports the driver was configured with.
var benchMemoryBound = new Dictionary<string, (long Chunk, int Concurrency)>
{
    ["filesystem"] = (0, 0),
    ["s3"] = (10L << 20, 4),
    ["rados"] = (4L << 20, 4),
    ["swift"] = (20L << 20, 4),
    ["azure"] = (4L << 20, 8),
};

/// <summary>One figure of one workload: every repetition's value for us and for the peer.</summary>
sealed class BenchRow
{
    public string Workload { get; init; }
    public string Unit { get; init; }
    public bool HigherIsBetter { get; init; }
    public string PeerName { get; set; } = "—";
    public string Note { get; set; } = "";
    /// <summary>Repetitions that must produce a figure for the run to count as complete.</summary>
    public int ExpectedOurs { get; set; }
    public int ExpectedPeer { get; set; }
    public List<double> Ours { get; } = new();
    public List<double> Peer { get; } = new();
    public bool Complete => Ours.Count >= ExpectedOurs && Peer.Count >= ExpectedPeer;
}

static double Median(List<double> values)
{
    var sorted = values.OrderBy(v => v).ToList();
    return sorted.Count == 0 ? double.NaN : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}

static string Fmt(double v) => double.IsNaN(v) ? "—" : v >= 100 ? v.ToString("F0", CultureInfo.InvariantCulture) : v >= 1 ? v.ToString("F2", CultureInfo.InvariantCulture) : v.ToString("F3", CultureInfo.InvariantCulture);

static string Spread(List<double> values) => values.Count <= 1 ? "" : $" ({Fmt(values.Min())}–{Fmt(values.Max())})";

// Ratio > 1 means ours is better, whatever the unit.
static double Ratio(BenchRow row) =>
    row.Ours.Count == 0 || row.Peer.Count == 0 || Median(row.Peer) <= 0 || Median(row.Ours) <= 0 ? double.NaN
    : row.HigherIsBetter ? Median(row.Ours) / Median(row.Peer) : Median(row.Peer) / Median(row.Ours);

/// <summary>
/// Our side: one DriverBench process in serve mode for one driver. Every workload is a line on its
/// stdin; the answer is a RESULT line (key=value ...) or an ERROR line (details on its stderr,
/// which goes to the bench log). A process that died is started again for the next workload.
/// </summary>
sealed class BenchSession : IDisposable
{
    private readonly ProcessStartInfo _info;
    private Process _process;

    public BenchSession(string dll, string plugin, string benchRoot, IDictionary<string, string> env)
    {
        _info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardInput = true, RedirectStandardOutput = true };
        foreach (var a in new[] { dll, "--plugin", plugin, "--root", benchRoot, "--workload", "serve" }) _info.ArgumentList.Add(a);
        foreach (var (key, value) in env) _info.Environment[key] = value;
    }

    /// <summary>The writer's chunk size and concurrency as configured (DriverBench's READY line; 0 when none).</summary>
    public long Chunk { get; private set; } = -1;
    public int Concurrency { get; private set; }

    /// <summary>Why the last call returned null.</summary>
    public string Problem { get; private set; }

    public Dictionary<string, double> Run(string command, TimeSpan timeout)
    {
        if (_process == null || _process.HasExited)
        {
            _process?.Dispose();
            _process = Process.Start(_info);
            var ready = ReadLine(TimeSpan.FromMinutes(3));
            if (ready == null || !ready.StartsWith("READY"))
            {
                Problem = $"DriverBench did not start ({ready ?? "no answer"})";
                return null;
            }
            var fields = ready.Split(' ').Skip(1).Select(f => f.Split('=', 2)).Where(f => f.Length == 2).ToDictionary(f => f[0], f => f[1]);
            if (fields.TryGetValue("chunk", out var chunk)) Chunk = long.Parse(chunk, CultureInfo.InvariantCulture);
            if (fields.TryGetValue("concurrency", out var concurrency)) Concurrency = int.Parse(concurrency, CultureInfo.InvariantCulture);
        }

        _process.StandardInput.WriteLine(command);
        _process.StandardInput.Flush();
        while (true)
        {
            var line = ReadLine(timeout);
            if (line == null)
            {
                Problem = $"no answer to '{command}' within {timeout.TotalMinutes:F0} min or the process ended";
                return null;
            }
            if (line.StartsWith("ERROR "))
            {
                Problem = line.Substring(6);
                return null;
            }
            if (line.StartsWith("RESULT "))
            {
                return line.Substring(7).Split(' ', StringSplitOptions.RemoveEmptyEntries)
                    .Select(p => p.Split('=', 2))
                    .ToDictionary(p => p[0], p => double.Parse(p[1], CultureInfo.InvariantCulture));
            }
            Console.WriteLine(line);
        }
    }

    // A line of the process's stdout, or null when it ended or stayed silent past the timeout (then it is killed).
    private string ReadLine(TimeSpan timeout)
    {
        var read = _process.StandardOutput.ReadLineAsync();
        if (read.Wait(timeout)) return read.Result;
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
        return null;
    }

    public void Dispose()
    {
        if (_process == null) return;
        if (!_process.HasExited)
        {
            _process.StandardInput.Close();
            if (!_process.WaitForExit(60_000)) _process.Kill(entireProcessTree: true);
        }
        _process.Dispose();
    }
}

// Runs a peer command: wall seconds from bash's $EPOCHREALTIME around it (µs resolution, the
// peer's process start-up included) and peak RSS of its biggest process from GNU time; null on failure.
(double Seconds, long Peak)? BenchPeer(string runDir, string driver, IDictionary<string, string> env, string script, Action<string> error)
{
    var timeFile = $"{runDir}/peer-time.txt";
    var wallFile = $"{runDir}/peer-wall.txt";
    var scriptFile = $"{runDir}/peer.sh";
    System.IO.File.WriteAllText(scriptFile, $"set -euo pipefail\n__start=$EPOCHREALTIME\n{script}\n__end=$EPOCHREALTIME\necho \"$__start $__end\" > '{wallFile}'\n");
    var (code, _) = Exec("/usr/bin/time", $"-f \"%e %M\" -o \"{timeFile}\" bash \"{scriptFile}\"", env);
    if (code != 0)
    {
        error($"bench {driver}: peer failed (exit {code}): {script}");
        return null;
    }
    var wall = System.IO.File.ReadAllText(wallFile).Trim().Replace(',', '.').Split(' ').Select(t => double.Parse(t, CultureInfo.InvariantCulture)).ToArray();
    var peak = long.Parse(System.IO.File.ReadAllLines(timeFile).Last().Split(' ')[1], CultureInfo.InvariantCulture) * 1024;
    return (wall[1] - wall[0], peak);
}

/// <summary>How the peer reaches the same server: shell fragments per workload (null: no equivalent).</summary>
sealed class BenchPeerTool
{
    public string Name { get; init; }
    public Func<string, long, string> Write { get; init; }   // (object, bytes) -> script
    public Func<string, string> Read { get; init; }
    public Func<string, string, string> Move { get; init; }
    public Func<string, string> List { get; init; }
    public Func<string, string> Walk { get; init; }
    public Func<string, string> Delete { get; init; }
    /// <summary>Evicts a file from the page cache before a timed read (filesystem only), so both sides read the disk.</summary>
    public Func<string, string> DropCache { get; init; }
    /// <summary>Removes the peer's big objects after a repetition.</summary>
    public string Cleanup { get; init; }
}

// rclone reads its remote from RCLONE_CONFIG_* variables (no config file, no secret on a command line);
// the machine's AWS_CA_BUNDLE breaks it (services.md), hence env -u.
BenchPeerTool PeerFor(string driver, string benchRoot, IDictionary<string, string> env)
{
    string Get(string key) => env.TryGetValue(key, out var v) ? v : "";
    // -q: no "config file not found" notice per call (the remote is in the environment).
    const string rclone = "env -u AWS_CA_BUNDLE rclone -q";
    switch (driver)
    {
        case "filesystem":
            return new BenchPeerTool
            {
                Name = "dd / mv / ls / find / rm",
                // conv=fsync: our commit makes the blob durable (fsync file and folder), so the peer must too.
                Write = (o, n) => $"dd if=/dev/zero of='{benchRoot}/{o}' bs=1M count={n >> 20} conv=fsync status=none",
                Read = o => $"dd if='{benchRoot}/{o}' of=/dev/null bs=1M status=none",
                Move = (s, d) => $"mv '{benchRoot}/{s}' '{benchRoot}/{d}'",
                List = d => $"ls -1 '{benchRoot}/{d}' > /dev/null",
                Walk = d => $"find '{benchRoot}/{d}' > /dev/null",
                Delete = d => $"rm -rf '{benchRoot}/{d}'",
                // POSIX_FADV_DONTNEED on that one file (both files are fsynced, so clean): no global drop_caches on a shared machine.
                DropCache = f => $"dd if='{benchRoot}/{f}' iflag=nocache count=0 status=none",
                Cleanup = $"rm -f '{benchRoot}/peer-big' '{benchRoot}/peer-big-moved'",
            };
        case "s3":
        {
            env["RCLONE_CONFIG_RGW_TYPE"] = "s3";
            env["RCLONE_CONFIG_RGW_PROVIDER"] = "Ceph";
            env["RCLONE_CONFIG_RGW_ACCESS_KEY_ID"] = Get("REGSTORE_TEST_S3_ACCESSKEY");
            env["RCLONE_CONFIG_RGW_SECRET_ACCESS_KEY"] = Get("REGSTORE_TEST_S3_SECRETKEY");
            env["RCLONE_CONFIG_RGW_ENDPOINT"] = Get("REGSTORE_TEST_S3_REGIONENDPOINT");
            env["RCLONE_CONFIG_RGW_REGION"] = Get("REGSTORE_TEST_S3_REGION");
            var prefix = $"rgw:{Get("REGSTORE_TEST_S3_BUCKET")}/{benchRoot}";
            return RclonePeer("rclone (s3)", prefix, "--s3-chunk-size 10M --s3-upload-concurrency 4");
        }
        case "swift":
        {
            env["RCLONE_CONFIG_SW_TYPE"] = "swift";
            env["RCLONE_CONFIG_SW_USER"] = Get("REGSTORE_TEST_SWIFT_USERNAME");
            env["RCLONE_CONFIG_SW_KEY"] = Get("REGSTORE_TEST_SWIFT_PASSWORD");
            env["RCLONE_CONFIG_SW_AUTH"] = Get("REGSTORE_TEST_SWIFT_AUTHURL");
            env["RCLONE_CONFIG_SW_AUTH_VERSION"] = "1";
            var prefix = $"sw:{Get("REGSTORE_TEST_SWIFT_CONTAINER")}/{benchRoot}/files";
            return RclonePeer("rclone (swift)", prefix, "--swift-chunk-size 20M");
        }
        case "rados":
        {
            // rados has no directories, rename or prefix listing: only the stream figures have a peer.
            // Objects are capped at osd_max_object_size (128 MiB), so the peer stripes by hand as the driver does.
            // --admin-socket= : the services' ceph.conf gives the client an admin socket that the daemons' client already holds.
            var rados = $"rados --admin-socket= -c '{Get("REGSTORE_TEST_RADOS_CONFFILE")}' --keyring '{Get("REGSTORE_TEST_RADOS_KEYRING")}' -n client.{Get("REGSTORE_TEST_RADOS_USERNAME")} -p '{Get("REGSTORE_TEST_RADOS_POOLNAME")}'";
            const long stripe = 64L << 20;
            string Stripes(long n) => $"$(seq 0 {Math.Max(0, (n + stripe - 1) / stripe - 1)})";
            var size = 0L;
            return new BenchPeerTool
            {
                Name = "rados put/get (64 MiB objects)",
                Write = (o, n) => { size = n; return $"for i in {Stripes(n)}; do head -c {Math.Min(n, stripe)} /dev/zero | {rados} put '{benchRoot}-{o}.'$i -; done"; },
                Read = o => $"for i in {Stripes(size)}; do {rados} get '{benchRoot}-{o}.'$i - > /dev/null; done",
                Cleanup = $"{rados} ls | {{ grep '^{benchRoot}-peer-big' || true; }} | xargs -r -n1 {rados} rm",
            };
        }
        default:
            return null;
    }

    BenchPeerTool RclonePeer(string name, string prefix, string flags) => new BenchPeerTool
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

// The plain Azure.Storage.Blobs upload/download of plugins/Azure/bench (same block size and
// concurrency as the driver), timed inside its process; memory = its sampled peak during the upload.
(double Up, double Down, long Peak)? AzureSdkPeer(string runDir, long size, IDictionary<string, string> env)
{
    var file = $"{runDir}/azure-sdk.txt";
    var (code, _) = Exec("bash", $"-c \"dotnet '{runDir}/azure-peer/Registry.Storage.Drivers.Azure.Bench.dll' {size} 1 sdk-upload,sdk-download > '{file}'\"", env);
    if (code != 0) return null;
    var lines = System.IO.File.ReadAllLines(file);
    Match Phase(string phase) => Regex.Match(lines.First(l => l.StartsWith(phase)).Substring(40), @"^\s*([0-9.]+) s.*peak (\d+) MiB");
    var up = Phase("sdk upload");
    var down = Phase("sdk download");
    return (double.Parse(up.Groups[1].Value, CultureInfo.InvariantCulture), double.Parse(down.Groups[1].Value, CultureInfo.InvariantCulture), long.Parse(up.Groups[2].Value, CultureInfo.InvariantCulture) << 20);
}

// progress(rows, state) during the run (before each Delete, after each repetition): a run cut short still leaves its figures.
List<BenchRow> BenchDriver(string driver, BenchOptions o, string runDir, IDictionary<string, string> env, Action<List<BenchRow>, string> progress)
{
    var id = Guid.NewGuid().ToString("N").Substring(0, 8);
    var benchRoot = driver == "filesystem" ? $"{servicesDir}/bench/fs-{id}" : $"regstore-bench/{id}";
    var big = ByteSizeOf(o.Big);
    var mib = big / (double)(1 << 20);
    var rows = new List<BenchRow>();
    var peer = PeerFor(driver, benchRoot, env);
    BenchRow Row(string workload, string unit, bool higher, bool hasPeer, int reps)
    {
        var r = new BenchRow { Workload = workload, Unit = unit, HigherIsBetter = higher, ExpectedOurs = reps, ExpectedPeer = hasPeer ? reps : 0 };
        r.PeerName = hasPeer ? peer?.Name ?? "Azure.Storage.Blobs" : "—";
        rows.Add(r);
        return r;
    }
    var azure = driver == "azure";
    var write = Row($"stream write {o.Big} (writer + commit)", "MiB/s", true, azure || peer?.Write != null, o.Reps);
    var read = Row($"stream read {o.Big}", "MiB/s", true, azure || peer?.Read != null, o.Reps);
    var move = Row($"Move {o.Big}", "s", false, peer?.Move != null, o.Reps);
    var put1k = Row("PutContent 1 KiB, sequential", "ops/s", true, false, o.Reps);
    var get1k = Row("GetContent 1 KiB, sequential", "ops/s", true, false, o.Reps);
    var put1m = Row("PutContent 1 MiB, sequential", "ops/s", true, false, o.Reps);
    var get1m = Row("GetContent 1 MiB, sequential", "ops/s", true, false, o.Reps);
    var list = Row($"List of a {o.List}-entry directory", "s", false, peer?.List != null, o.Reps);
    var walk = Row($"Walk of {o.Walk} files (100 per directory)", "s", false, peer?.Walk != null, o.Reps);
    var delete = Row($"Delete of a {o.Delete}-file tree (100 per directory)", "s", false, peer?.Delete != null, o.DeleteReps);
    var memory = Row($"peak RSS during the {o.Big} write", "MiB", false, azure || peer?.Write != null, o.Reps);
    var memoryPrivate = Row($"peak private memory (RssAnon + RssShmem) during the {o.Big} write", "MiB", false, false, o.Reps);
    var allocated = Row($"managed bytes allocated by the {o.Big} write", "MiB", false, false, o.Reps);
    var baseline = Row("RSS just before the write (after the full GC)", "MiB", false, false, o.Reps);
    var baselinePrivate = new List<double>();
    var managed = Row($"peak managed heap (GC.GetTotalMemory) during the {o.Big} write", "MiB", false, false, o.Reps);
    var baselineManaged = new List<double>();
    foreach (var r in new[] { put1k, get1k, put1m, get1m }) r.Note = "no peer: a CLI pays process start-up per object";
    if (driver == "filesystem") System.IO.Directory.CreateDirectory(benchRoot);

    // A hung server must not stall CI for long; a 10 000-object Delete on Azurite or Swift takes minutes.
    var timeout = TimeSpan.FromMinutes(big <= 64L << 20 && o.Delete <= 1000 && o.Walk <= 1000 ? 3 : 30);
    using var session = new BenchSession($"{runDir}/driverbench-{driver}/Registry.Storage.DriverBench.dll", $"{runDir}/plugins/{driver}", benchRoot, env);
    // Each step's wall time goes to the log: where a run's time budget went.
    Dictionary<string, double> Run(string command)
    {
        var step = Stopwatch.StartNew();
        var result = session.Run(command, timeout);
        if (result == null) Error($"bench {driver}: ours '{command}' failed: {session.Problem}");
        else Information($"  {driver} ours {command.Replace("--workload ", "")}: {step.Elapsed.TotalSeconds:F1} s");
        return result;
    }
    (double Seconds, long Peak)? Peer(Func<string> script)
    {
        if (script == null) return null;
        var step = Stopwatch.StartNew();
        var text = script();
        var result = BenchPeer(runDir, driver, env, text, m => Error(m));
        if (result != null) Information($"  {driver} peer {(text.Length > 60 ? text.Substring(0, 60) + "…" : text)}: {step.Elapsed.TotalSeconds:F1} s");
        return result;
    }

    // The notes (targets from the configuration DriverBench reported); also before every progress report.
    void Annotate()
    {
        if (peer?.Move == null) move.Note = "no peer equivalent";
        if (peer?.List == null) { list.Note = "no peer equivalent"; walk.Note = "no peer equivalent"; delete.Note = "no peer equivalent"; }
        if (o.DeleteReps < o.Reps) delete.Note = (peer?.List == null ? "no peer equivalent; " : "") + $"{o.DeleteReps} of {o.Reps} repetitions (time budget)";
        if (session.Chunk >= 0) benchMemoryBound[driver] = (session.Chunk, session.Concurrency);
        var (chunk, concurrency) = benchMemoryBound.GetValueOrDefault(driver);
        var target = chunk == 0 ? "target ≤ 64 MiB (no chunk buffers + 64 MiB)" : $"target ≤ {(chunk * (concurrency + 1) >> 20) + 64} MiB (chunk {chunk >> 20} MiB × ({concurrency}+1) + 64 MiB)";
        memory.Note = "whole process, sampled every 5 ms during the write only; " + target;
        memoryPrivate.Note = "without mapped runtime/assembly files; " + target;
        allocated.Note = "GC.GetTotalAllocatedBytes over the write";
        managed.Note = "private memory minus this is native (the runtime's own, an SDK's or a native library's allocations)";
        baseline.Note = $"private {Fmt(Median(baselinePrivate))} MiB, managed heap {Fmt(Median(baselineManaged))} MiB; the runtime, host, plugin and SDK loaded, and what earlier repetitions left (pools, connections)";
    }

    // Trees listed and walked by both sides are written once, by our driver (untimed set-up).
    Run($"--workload populate-flat --path /list --count {o.List}");
    Run($"--workload populate --path /walk --count {o.Walk}");
    var walkDeleted = false;
    for (var rep = 1; rep <= o.Reps; rep++)
    {
        Information($"bench {driver}: repetition {rep}/{o.Reps}");
        // The write first: it samples its own memory, and starts from the state every repetition has.
        if (Run($"--workload write --path /big --size {big}") is { } w)
        {
            write.Ours.Add(mib / w["seconds"]);
            memory.Ours.Add(w["peak"] / (1 << 20));
            memoryPrivate.Ours.Add(w["peak_private"] / (1 << 20));
            allocated.Ours.Add(w["allocated"] / (1 << 20));
            baseline.Ours.Add(w["base"] / (1 << 20));
            baselinePrivate.Add(w["base_private"] / (1 << 20));
            managed.Ours.Add(w["peak_managed"] / (1 << 20));
            baselineManaged.Add(w["base_managed"] / (1 << 20));
        }
        if (azure)
        {
            if (AzureSdkPeer(runDir, big, env) is { } a)
            {
                write.Peer.Add(mib / a.Up);
                read.Peer.Add(mib / a.Down);
                memory.Peer.Add(a.Peak / (double)(1 << 20));
            }
            else
            {
                Error($"bench {driver}: the Azure SDK peer failed");
            }
        }
        else if (peer?.Write != null && Peer(() => peer.Write("peer-big", big)) is { } pw)
        {
            write.Peer.Add(mib / pw.Seconds);
            memory.Peer.Add(pw.Peak / (double)(1 << 20));
        }

        if (peer?.DropCache != null) Peer(() => peer.DropCache("big"));
        if (Run("--workload read --path /big") is { } rd) read.Ours.Add(mib / rd["seconds"]);
        if (peer?.DropCache != null) Peer(() => peer.DropCache("peer-big"));
        if (peer?.Read != null && Peer(() => peer.Read("peer-big")) is { } pr) read.Peer.Add(mib / pr.Seconds);

        if (Run("--workload move --path /big --dst /big-moved") is { } mv) move.Ours.Add(mv["seconds"]);
        if (peer?.Move != null && Peer(() => peer.Move("peer-big", "peer-big-moved")) is { } pm) move.Peer.Add(pm.Seconds);
        Run("--workload delete --path /big-moved");

        if (Run($"--workload putget --path /small1k --size 1KiB --count {o.Small}") is { } s1) { put1k.Ours.Add(s1["put_ops"]); get1k.Ours.Add(s1["get_ops"]); }
        if (Run($"--workload putget --path /small1m --size 1MiB --count {Math.Max(5, o.Small / 4)}") is { } s2) { put1m.Ours.Add(s2["put_ops"]); get1m.Ours.Add(s2["get_ops"]); }

        if (Run("--workload list --path /list") is { } l) list.Ours.Add(l["seconds"]);
        if (peer?.List != null && Peer(() => peer.List("list")) is { } pl) list.Peer.Add(pl.Seconds);
        if (Run("--workload walk --path /walk") is { } wk) walk.Ours.Add(wk["seconds"]);
        if (peer?.Walk != null && Peer(() => peer.Walk("walk")) is { } pk) walk.Peer.Add(pk.Seconds);

        Annotate();
        progress(rows, $"repetition {rep} of {o.Reps} done up to Delete");
        // Delete runs in the last DeleteReps repetitions; the last one deletes the walked tree when it
        // has the same size, which saves writing another 10 000 objects (minutes on Swift).
        if (rep > o.Reps - o.DeleteReps)
        {
            var reuseWalk = rep == o.Reps && o.Walk == o.Delete;
            var oursTree = reuseWalk ? "/walk" : $"/del-ours-{rep}";
            if (!reuseWalk) Run($"--workload populate --path {oursTree} --count {o.Delete}");
            if (Run($"--workload delete --path {oursTree}") is { } d)
            {
                delete.Ours.Add(d["seconds"]);
                walkDeleted = reuseWalk;
            }
            if (peer?.Delete != null)
            {
                Run($"--workload populate --path /del-peer-{rep} --count {o.Delete}");
                if (Peer(() => peer.Delete($"del-peer-{rep}")) is { } pd) delete.Peer.Add(pd.Seconds);
            }
        }

        // The peer's own objects go each repetition so the next write starts from the same state.
        if (peer?.Cleanup != null) Peer(() => peer.Cleanup);
        if (rep < o.Reps)
        {
            Annotate();
            progress(rows, $"{rep} of {o.Reps} repetitions done");
        }
    }

    Run("--workload delete --path /list");
    if (!walkDeleted) Run("--workload delete --path /walk");
    if (driver == "filesystem") System.IO.Directory.Delete(benchRoot, true);
    Annotate();
    return rows;
}

// A horizontal bar chart of ours/peer ratios (1.0 line; > 1 = ours better), plain SVG. The axis
// stops at 4×; a longer bar is cut and marked, its label gives the real ratio.
string RatioChart(string driver, List<BenchRow> rows)
{
    var bars = rows.Select(r => (r.Workload, Ratio: Ratio(r))).Where(b => !double.IsNaN(b.Ratio)).ToList();
    const int labelWidth = 420, plotWidth = 320, barHeight = 22, top = 40;
    var max = Math.Min(4.0, Math.Max(2.0, bars.Select(b => b.Ratio).DefaultIfEmpty(1).Max() * 1.1));
    double X(double ratio) => labelWidth + plotWidth * Math.Min(ratio, max) / max;
    var height = top + bars.Count * barHeight + 30;
    var svg = new System.Text.StringBuilder();
    svg.AppendLine($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{labelWidth + plotWidth + 70}\" height=\"{height}\" font-family=\"sans-serif\" font-size=\"12\">");
    svg.AppendLine($"<text x=\"10\" y=\"20\" font-size=\"14\" font-weight=\"bold\">{driver}: ours ÷ peer (median; &gt; 1 = ours faster / leaner)</text>");
    for (var i = 0; i < bars.Count; i++)
    {
        var y = top + i * barHeight;
        var colour = bars[i].Ratio >= 1 ? "#2e7d32" : bars[i].Ratio >= 0.8 ? "#f9a825" : "#c62828";
        var cut = bars[i].Ratio > max ? " ▸" : "";
        svg.AppendLine($"<text x=\"{labelWidth - 6}\" y=\"{y + 15}\" text-anchor=\"end\">{System.Security.SecurityElement.Escape(bars[i].Workload)}</text>");
        svg.AppendLine(FormattableString.Invariant($"<rect x=\"{labelWidth}\" y=\"{y + 3}\" width=\"{X(bars[i].Ratio) - labelWidth:F1}\" height=\"{barHeight - 6}\" fill=\"{colour}\"/>"));
        svg.AppendLine(FormattableString.Invariant($"<text x=\"{X(bars[i].Ratio) + 4:F1}\" y=\"{y + 15}\">{bars[i].Ratio:F2}×{cut}</text>"));
    }
    svg.AppendLine(FormattableString.Invariant($"<line x1=\"{X(1):F1}\" y1=\"{top - 4}\" x2=\"{X(1):F1}\" y2=\"{top + bars.Count * barHeight + 4}\" stroke=\"black\" stroke-dasharray=\"4,3\"/>"));
    svg.AppendLine(FormattableString.Invariant($"<text x=\"{X(1):F1}\" y=\"{height - 8}\" text-anchor=\"middle\">1.0× peer</text>"));
    svg.AppendLine("</svg>");
    return svg.ToString();
}

// Grouped horizontal bars: per driver, one bar per series (e.g. ours / peer / target), labelled with the value.
static string GroupedChart(string title, string unit, List<(string Group, List<(string Series, double Value, string Colour)> Bars)> groups)
{
    const int labelWidth = 150, plotWidth = 420, barHeight = 16, gap = 10, top = 50;
    var max = groups.SelectMany(g => g.Bars).Select(b => b.Value).Where(v => !double.IsNaN(v)).DefaultIfEmpty(1).Max() * 1.15;
    var height = top + groups.Sum(g => g.Bars.Count * barHeight + gap) + 20;
    var svg = new System.Text.StringBuilder();
    svg.AppendLine($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{labelWidth + plotWidth + 90}\" height=\"{height}\" font-family=\"sans-serif\" font-size=\"12\">");
    svg.AppendLine($"<text x=\"10\" y=\"20\" font-size=\"14\" font-weight=\"bold\">{System.Security.SecurityElement.Escape(title)}</text>");
    var legend = groups.SelectMany(g => g.Bars).Select(b => (b.Series, b.Colour)).Distinct().ToList();
    for (var i = 0; i < legend.Count; i++)
    {
        svg.AppendLine($"<rect x=\"{10 + i * 150}\" y=\"30\" width=\"10\" height=\"10\" fill=\"{legend[i].Colour}\"/><text x=\"{24 + i * 150}\" y=\"39\">{System.Security.SecurityElement.Escape(legend[i].Series)}</text>");
    }
    var y = top;
    foreach (var (group, bars) in groups)
    {
        svg.AppendLine($"<text x=\"{labelWidth - 8}\" y=\"{y + bars.Count * barHeight / 2 + 4}\" text-anchor=\"end\" font-weight=\"bold\">{System.Security.SecurityElement.Escape(group)}</text>");
        foreach (var (series, value, colour) in bars)
        {
            var width = double.IsNaN(value) ? 0 : plotWidth * value / max;
            svg.AppendLine(FormattableString.Invariant($"<rect x=\"{labelWidth}\" y=\"{y + 1}\" width=\"{width:F1}\" height=\"{barHeight - 2}\" fill=\"{colour}\"/>"));
            svg.AppendLine(FormattableString.Invariant($"<text x=\"{labelWidth + width + 4:F1}\" y=\"{y + barHeight - 4}\">{(double.IsNaN(value) ? "—" : Fmt(value) + " " + unit)}</text>"));
            y += barHeight;
        }
        y += gap;
    }
    svg.AppendLine("</svg>");
    return svg.ToString();
}

string Shell(string command)
{
    var info = new ProcessStartInfo("bash", $"-c \"{command.Replace("\"", "\\\"")}\"") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
    using var p = Process.Start(info);
    var output = p.StandardOutput.ReadToEnd().Trim();
    p.WaitForExit();
    return output;
}

// From the package.json that services/azurite/install.sh installed (no process start needed).
string AzuriteVersion()
{
    var package = $"{EnvironmentVariable("REGSTORE_TOOLS_DIR") ?? $"{root}/.tools"}/azurite/node_modules/azurite/package.json";
    var m = System.IO.File.Exists(package) ? Regex.Match(System.IO.File.ReadAllText(package), "\"version\":\\s*\"([^\"]+)\"") : null;
    return m?.Success == true ? m.Groups[1].Value : "?";
}

string MachineSection(BenchOptions o)
{
    return string.Join("\n", new[]
    {
        $"- date (UTC): {DateTime.UtcNow:yyyy-MM-dd HH:mm}; mode: {(o.Quick ? "quick" : "full")}; repetitions: {o.Reps} (Delete: {o.DeleteReps}); big size {o.Big}",
        $"- CPU: {Shell("nproc")} cores ({Shell("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2").Trim()}); memory: {Shell("free -h | awk '/Mem:/{print $2}'")}",
        $"- disk under the services dir: {Shell($"df -h --output=fstype,size,avail '{servicesDir}' | tail -1")}",
        $"- kernel: {Shell("uname -r")}; .NET SDK {Shell("dotnet --version")}; {Shell("rclone version | head -1")}; {Shell("ceph --version 2>/dev/null | cut -d'(' -f1")}; swift {Shell("/usr/bin/python3 -c 'import swift; print(swift.__version__)' 2>/dev/null")}; Azurite {AzuriteVersion()}",
        $"- load average at the start of the run: {Shell("cut -d' ' -f1-3 /proc/loadavg")} (the machine is shared by several engineers building and testing)",
    });
}

/// <summary>One driver's outcome: its rows, how long it took, and what went wrong (null: complete).</summary>
sealed class BenchDriverResult
{
    public string Driver { get; init; }
    public List<BenchRow> Rows { get; init; } = new();
    public TimeSpan Elapsed { get; init; }
    public string Problem { get; init; }
    /// <summary>When the plugin's driver assembly was built (UTC), so a report says which code it measured.</summary>
    public string Built { get; init; }
}

// Copies what the run executes (the Azure SDK peer, and DriverBench and the plugin when each driver
// starts) into a folder of its own: a `./build.sh publish` or build by someone else during a long
// run cleans or rewrites artifacts/regstore and bin/, which would pull files from under the
// running processes.
static void CopyTree(string from, string to)
{
    System.IO.Directory.CreateDirectory(to);
    foreach (var dir in System.IO.Directory.GetDirectories(from, "*", SearchOption.AllDirectories))
        System.IO.Directory.CreateDirectory(to + dir.Substring(from.Length));
    foreach (var file in System.IO.Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        System.IO.File.Copy(file, to + file.Substring(from.Length));
}

string SnapshotBenchPrograms(BenchOptions o)
{
    var runDir = $"{artifacts}/bench/run-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Guid.NewGuid().ToString("N").Substring(0, 4)}";
    if (o.Drivers.Contains("azure") && System.IO.Directory.Exists(azurePeerBin)) CopyTree(azurePeerBin, $"{runDir}/azure-peer");
    return runDir;
}

// Runs every driver of the options against the servers whose variables are in env; writes the report after each.
List<BenchDriverResult> RunBench(BenchOptions o, IDictionary<string, string> env)
{
    var watch = Stopwatch.StartNew();
    var runDir = SnapshotBenchPrograms(o);
    var results = new List<BenchDriverResult>();
    var loadBefore = Shell("cut -d' ' -f1-3 /proc/loadavg");
    var machine = MachineSection(o);
    try
    {
        foreach (var driver in o.Drivers)
        {
            if (benchServices.TryGetValue(driver, out var svc) && !env.ContainsKey(svc.Probe))
            {
                results.Add(new BenchDriverResult { Driver = driver, Problem = $"not run: service {svc.Service} is not up" });
                continue;
            }
            if (!System.IO.Directory.Exists($"{o.Plugins}/{driver}"))
            {
                results.Add(new BenchDriverResult { Driver = driver, Problem = $"not run: no plugin folder {o.Plugins}/{driver}" });
                continue;
            }
            // DriverBench too: it carries the contract assembly the plugin was built against.
            CopyTree(benchBin, $"{runDir}/driverbench-{driver}");
            CopyTree($"{o.Plugins}/{driver}", $"{runDir}/plugins/{driver}");
            var assembly = System.IO.Directory.GetFiles($"{o.Plugins}/{driver}", "Registry.Storage.Drivers.*.dll").FirstOrDefault();
            var built = assembly == null ? "?" : $"{System.IO.File.GetLastWriteTimeUtc(assembly):HH:mm}";
            Information($"bench {driver}: plugin {o.Plugins}/{driver}, built {built} UTC");
            var driverWatch = Stopwatch.StartNew();
            var rows = BenchDriver(driver, o, runDir, new Dictionary<string, string>(env), (partial, state) =>
            {
                var inProgress = new BenchDriverResult { Driver = driver, Rows = partial, Elapsed = driverWatch.Elapsed, Problem = $"in progress: {state}", Built = built };
                WriteBenchReport(o, results.Append(inProgress).ToList(), machine, loadBefore, watch.Elapsed);
            });
            Information($"bench {driver}: {driverWatch.Elapsed.TotalSeconds:F0} s");
            var incomplete = rows.Where(r => !r.Complete).Select(r => r.Workload).ToList();
            results.Add(new BenchDriverResult
            {
                Driver = driver,
                Rows = rows,
                Elapsed = driverWatch.Elapsed,
                Built = built,
                Problem = incomplete.Count > 0 ? $"figures missing for: {string.Join("; ", incomplete)} (errors in the bench log)" : null,
            });
            WriteBenchReport(o, results, machine, loadBefore, watch.Elapsed);
        }
    }
    finally
    {
        System.IO.Directory.Delete(runDir, true);
    }
    WriteBenchReport(o, results, machine, loadBefore, watch.Elapsed);
    Information($"bench: {results.Count(r => r.Problem == null)} of {results.Count} drivers complete in {watch.Elapsed.TotalSeconds:F0} s");
    return results;
}

// The test task's check: the quick run against the servers the test task started. Passed when
// every workload of every driver produced its figures; nothing about speed.
(string Suite, int Passed, int Failed, int Skipped) RunQuickBenchCheck(IDictionary<string, string> testEnv)
{
    try
    {
        var results = RunBench(BenchOptionsFor(quickMode: true, fromArguments: false), testEnv);
        foreach (var r in results.Where(r => r.Problem != null)) Error($"bench --quick {r.Driver}: {r.Problem}");
        return ("bench --quick (every workload of every driver)", results.All(r => r.Problem == null) ? 1 : 0, results.All(r => r.Problem == null) ? 0 : 1, 0);
    }
    catch (Exception ex)
    {
        Error($"bench --quick: {ex.Message}");
        return ("bench --quick (every workload of every driver)", 0, 1, 0);
    }
}

// The registry against distribution 2.8.2 (docker-registry), on filesystem and on s3 when its
// service runs, 3 alternating repetitions each, selected by --bench-registry (default serve,gc):
// serve: skopeo push/pull of a 1 GiB image through regstore serve and docker-registry
// (bench/registry/serve-vs-distribution.sh; artifacts/bench/registry.md);
// gc: regstore gc against docker-registry garbage-collect, dry and real runs, on a generated tree of
// --bench-gc-blobs blobs (default 10 000; bench/registry/gc-vs-distribution.sh; artifacts/bench/gc.md).
void RunRegistryBench(IDictionary<string, string> env)
{
    var clients = $"{root}/services/registry-clients";
    if (Exec("bash", $"{clients}/install.sh", env).ExitCode != 0 || Exec("bash", $"{clients}/start.sh", env).ExitCode != 0)
    {
        Error("bench: skopeo and docker-registry could not be installed; the registry benchmark is left out");
        return;
    }

    var backends = env.ContainsKey("REGSTORE_TEST_S3_BUCKET") ? "filesystem s3" : "filesystem";
    var selected = Argument("bench-registry", "serve,gc").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    if (selected.Contains("serve"))
    {
        RunRegistryScript("serve-vs-distribution.sh", backends, "registry.md", env);
    }

    if (selected.Contains("gc"))
    {
        var gcEnv = new Dictionary<string, string>(env)
        {
            ["BLOBS"] = Argument("bench-gc-blobs", 10000).ToString(CultureInfo.InvariantCulture),
            ["REPS"] = Argument("bench-reps", 3).ToString(CultureInfo.InvariantCulture),
        };
        RunRegistryScript("gc-vs-distribution.sh", backends, "gc.md", gcEnv);
    }
}

void RunRegistryScript(string script, string backends, string report, IDictionary<string, string> env)
{
    var (code, _) = Exec("bash", $"-c \"bash '{root}/bench/registry/{script}' '{hostOut}' {backends} > '{artifacts}/bench/{report}'\"", env);
    if (code != 0)
    {
        Error($"bench: bench/registry/{script} exited with {code}");
    }
    else
    {
        Information(System.IO.File.ReadAllText($"{artifacts}/bench/{report}"));
    }
}

// The registry benchmarks alone (RunRegistryBench), against the servers already running
// (.services/*.env, or REGSTORE_SERVICES_DIR): ./build.sh bench-registry --bench-registry=gc
Task("bench-registry").IsDependentOn("publish").Does(() =>
{
    System.IO.Directory.CreateDirectory($"{artifacts}/bench");
    RunRegistryBench(LoadServiceEnvironment());
});

Task("bench").IsDependentOn("publish").Does(() =>
{
    var o = BenchOptionsFor(quick, fromArguments: true);
    System.IO.Directory.CreateDirectory($"{artifacts}/bench");
    // publish builds the solution, which holds DriverBench and the Azure SDK peer; --bench-no-build
    // is kept for compatibility (it was the way to skip their separate builds).
    var needed = o.Drivers.Where(benchServices.ContainsKey).Select(d => benchServices[d].Service).Distinct().ToList();

    // Reuse a server another run already started (its .env exists); start (and later stop) only ours.
    var startedHere = new List<string>();
    var serviceEnv = new Dictionary<string, string> { ["REGSTORE_SERVICES_DIR"] = servicesDir };
    foreach (var service in needed.Where(s => !System.IO.File.Exists($"{servicesDir}/{s}.env")))
    {
        var dir = $"{root}/services/{service}";
        if ((!System.IO.File.Exists($"{dir}/install.sh") || Exec("bash", $"{dir}/install.sh", serviceEnv).ExitCode == 0)
            && Exec("bash", $"{dir}/start.sh", serviceEnv).ExitCode == 0)
        {
            startedHere.Add(service);
        }
        else
        {
            Error($"bench: service {service} could not be started");
        }
    }

    List<BenchDriverResult> results;
    try
    {
        results = RunBench(o, LoadServiceEnvironment());
        if (!quick)
        {
            RunRegistryBench(LoadServiceEnvironment());
        }
    }
    finally
    {
        foreach (var service in Enumerable.Reverse(startedHere))
        {
            Exec("bash", $"{root}/services/{service}/stop.sh", serviceEnv);
        }
    }

    var failed = results.Count(r => r.Problem != null);
    if (failed > 0)
    {
        // The report records it; the command itself failing makes CI and the caller see it.
        throw new Exception($"bench: {failed} driver(s) did not produce every figure: {string.Join(", ", results.Where(r => r.Problem != null).Select(r => r.Driver))}");
    }
});

// The generated part of the report, rewritten after every driver so a run cut short still leaves its figures.
void WriteBenchReport(BenchOptions o, List<BenchDriverResult> results, string machine, string loadBefore, TimeSpan elapsed)
{
    var md = new System.Text.StringBuilder();
    md.AppendLine("<!-- bench:begin (generated by ./build.sh bench; text outside these markers is kept) -->");
    md.AppendLine("### Machine and run\n");
    md.AppendLine(machine);
    md.AppendLine($"- load average before / now: {loadBefore} / {Shell("cut -d' ' -f1-3 /proc/loadavg")}");
    md.AppendLine($"- command: `{o.CommandLine}`");
    md.AppendLine($"- duration: {elapsed.TotalMinutes:F1} min ({string.Join(", ", results.Where(r => r.Rows.Count > 0).Select(r => $"{r.Driver} {r.Elapsed.TotalMinutes:F1}"))}); each plugin is copied when its driver starts; driver assemblies built at (UTC): {string.Join(", ", results.Where(r => r.Built != null).Select(r => $"{r.Driver} {r.Built}"))}");
    md.AppendLine("- each cell: median of the repetitions (min–max); ratio = ours ÷ peer for rates, peer ÷ ours for times and memory (so > 1 always means ours is better).");
    md.AppendLine("- ours: one DriverBench process per driver, each workload timed inside it (start-up excluded); the peer: wall time of its command from bash's `$EPOCHREALTIME`, its own process start-up included.");
    md.AppendLine("- memory: ours is sampled from /proc/self/status every 5 ms during the write alone, after an aggressive full GC (the process runs other workloads before and after); the peer's is GNU time's peak RSS of its biggest process (the Azure SDK peer samples its own working set during its upload).\n");
    System.IO.Directory.CreateDirectory($"{o.Out}/benchmarks/charts");
    foreach (var result in results)
    {
        md.AppendLine($"### {result.Driver}\n");
        if (result.Problem != null) md.AppendLine($"**{result.Problem}**\n");
        if (result.Rows.Count == 0) continue;
        md.AppendLine("| workload | unit | ours | peer | peer tool | ratio | note |");
        md.AppendLine("| --- | --- | ---: | ---: | --- | ---: | --- |");
        foreach (var r in result.Rows)
        {
            md.AppendLine($"| {r.Workload} | {r.Unit} | {Fmt(Median(r.Ours))}{Spread(r.Ours)} | {Fmt(Median(r.Peer))}{Spread(r.Peer)} | {(r.Peer.Count == 0 ? "—" : r.PeerName)} | {(double.IsNaN(Ratio(r)) ? "—" : Ratio(r).ToString("F2", CultureInfo.InvariantCulture) + "×")} | {r.Note} |");
        }
        System.IO.File.WriteAllText($"{o.Out}/benchmarks/charts/{result.Driver}.svg", RatioChart(result.Driver, result.Rows));
        md.AppendLine($"\n![{result.Driver}: ours ÷ peer](benchmarks/charts/{result.Driver}.svg)\n");
    }

    // Across drivers: the stream rates next to the peer's, and the write's memory next to the target.
    var done = results.Where(r => r.Rows.Count > 0).ToList();
    if (done.Count > 0)
    {
        double Figure(BenchDriverResult r, int row, bool peer) => Median(peer ? r.Rows[row].Peer : r.Rows[row].Ours);
        System.IO.File.WriteAllText($"{o.Out}/benchmarks/charts/streams.svg", GroupedChart($"stream write / read of {o.Big}, median MiB/s", "MiB/s",
            done.Select(r => (r.Driver, new List<(string, double, string)>
            {
                ("write, ours", Figure(r, 0, false), "#1565c0"), ("write, peer", Figure(r, 0, true), "#90caf9"),
                ("read, ours", Figure(r, 1, false), "#2e7d32"), ("read, peer", Figure(r, 1, true), "#a5d6a7"),
            })).ToList()));
        System.IO.File.WriteAllText($"{o.Out}/benchmarks/charts/memory.svg", GroupedChart($"memory during the {o.Big} write, median MiB", "MiB",
            done.Select(r =>
            {
                var (chunk, concurrency) = benchMemoryBound.GetValueOrDefault(r.Driver);
                return (r.Driver, new List<(string, double, string)>
                {
                    ("peak RSS, ours", Figure(r, 10, false), "#6a1b9a"), ("private, ours", Figure(r, 11, false), "#ba68c8"),
                    ("peak RSS, peer", Figure(r, 10, true), "#bdbdbd"), ("target", (chunk * (concurrency + 1) >> 20) + 64.0, "#ef6c00"),
                });
            }).ToList()));
        md.AppendLine("### Targets of issue 12, judged on this run\n");
        md.AppendLine("| driver | stream write ÷ peer (goal ≥ 1.0; filesystem ≥ 0.8 × dd) | stream read ÷ peer | peak RSS of the write vs target | peak private memory vs target |");
        md.AppendLine("| --- | ---: | ---: | ---: | ---: |");
        foreach (var r in done)
        {
            var goal = r.Driver == "filesystem" ? 0.8 : 1.0;
            string Judge(double ratio) => double.IsNaN(ratio) ? "—" : ratio >= goal ? $"{ratio.ToString("F2", CultureInfo.InvariantCulture)}× met" : $"**{ratio.ToString("F2", CultureInfo.InvariantCulture)}× missed**";
            var (chunk, concurrency) = benchMemoryBound.GetValueOrDefault(r.Driver);
            var limit = (chunk * (concurrency + 1) >> 20) + 64.0;
            string Memory(double mib) => double.IsNaN(mib) ? "—" : mib <= limit ? $"{Fmt(mib)} ≤ {limit:F0} MiB met" : $"**{Fmt(mib)} > {limit:F0} MiB missed**";
            md.AppendLine($"| {r.Driver} | {Judge(Ratio(r.Rows[0]))} | {Judge(Ratio(r.Rows[1]))} | {Memory(Figure(r, 10, false))} | {Memory(Figure(r, 11, false))} |");
        }
        md.AppendLine();
        md.AppendLine("### All drivers\n");
        md.AppendLine("![stream rates, ours and peer](benchmarks/charts/streams.svg)\n");
        md.AppendLine("![memory during the big write against the target](benchmarks/charts/memory.svg)\n");
    }
    md.AppendLine("<!-- bench:end -->");

    var reportPath = $"{o.Out}/benchmarks.md";
    var existing = System.IO.File.Exists(reportPath) ? System.IO.File.ReadAllText(reportPath) : "# Benchmarks (quick run)\n\n<!-- bench:begin -->\n<!-- bench:end -->\n";
    var begin = existing.IndexOf("<!-- bench:begin");
    var end = existing.IndexOf("<!-- bench:end -->");
    var report = begin >= 0 && end > begin
        ? existing.Substring(0, begin) + md.ToString().TrimEnd() + existing.Substring(end + "<!-- bench:end -->".Length)
        : existing.TrimEnd() + "\n\n" + md;
    // Replaced in one rename: someone editing the handwritten part while a run rewrites the report
    // must never read (and save back) a half-written file.
    System.IO.File.WriteAllText(reportPath + ".tmp", report);
    System.IO.File.Move(reportPath + ".tmp", reportPath, overwrite: true);
    Information($"bench: report {reportPath}");
}

static long ByteSizeOf(string text)
{
    var m = Regex.Match(text.Trim(), @"^(\d+)\s*(B|KiB|KB|MiB|MB|GiB|GB)?$", RegexOptions.IgnoreCase);
    if (!m.Success) throw new ArgumentException($"--bench-big expects a size such as 1GiB, got '{text}'");
    var unit = m.Groups[2].Value.ToUpperInvariant();
    var factor = unit.StartsWith("K") ? 1L << 10 : unit.StartsWith("M") ? 1L << 20 : unit.StartsWith("G") ? 1L << 30 : 1L;
    return long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) * factor;
}
