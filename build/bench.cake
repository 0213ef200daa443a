// Loaded by build.cake (#load "build/bench.cake"); uses root, artifacts, hostOut, configuration,
// quick, servicesDir, Exec, MustExec, Services() and LoadServiceEnvironment().
//
// ./build.sh bench [--quick] [--bench-drivers=s3,swift] [--bench-reps=N] [--bench-big=1GiB]
//                  [--bench-list=1000] [--bench-walk=10000] [--bench-delete=10000] [--bench-small=200]
//
// For each driver, the workloads of issue 12 run through our driver (bench/Registry.Storage.DriverBench,
// one process per workload, timed inside the process) and through the peer tool on the same server,
// alternating ours/peer inside every repetition. Medians and spreads go to docs/benchmarks.md
// between the `bench:begin/end` markers, bar charts (SVG, written here) to docs/benchmarks/charts/.
// --quick is a smoke run (tiny sizes, one repetition) that writes to artifacts/bench/ instead, so CI
// never rewrites the committed report; it proves the command works and asserts nothing about speed.
using System.Globalization;

int benchReps => Argument("bench-reps", quick ? 1 : 3);
string benchBig => Argument("bench-big", quick ? "8MiB" : "1GiB");
int benchList => Argument("bench-list", quick ? 50 : 1000);
int benchWalk => Argument("bench-walk", quick ? 200 : 10000);
int benchDelete => Argument("bench-delete", quick ? 200 : 10000);
int benchSmall => Argument("bench-small", quick ? 10 : 200);
string[] benchDrivers => Argument("bench-drivers", "filesystem,s3,rados,swift,azure").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
string benchOut => quick ? $"{artifacts}/bench" : $"{root}/docs";
string benchProject => $"{root}/bench/Registry.Storage.DriverBench/Registry.Storage.DriverBench.csproj";
string benchDll => $"{root}/bench/Registry.Storage.DriverBench/bin/{configuration}/net10.0/Registry.Storage.DriverBench.dll";
string azurePeerProject => $"{root}/plugins/Azure/bench/Registry.Storage.Drivers.Azure.Bench.csproj";
string azurePeerDll => $"{root}/plugins/Azure/bench/bin/{configuration}/net10.0/Registry.Storage.Drivers.Azure.Bench.dll";

// Which service each driver needs (null: none) and the variable that proves it is up.
var benchServices = new Dictionary<string, (string Service, string Probe)>
{
    ["s3"] = ("ceph", "REGSTORE_TEST_S3_BUCKET"),
    ["rados"] = ("ceph", "REGSTORE_TEST_RADOS_POOLNAME"),
    ["swift"] = ("swift", "REGSTORE_TEST_SWIFT_CONTAINER"),
    ["azure"] = ("azurite", "REGSTORE_TEST_AZURE_CONTAINER"),
};

// The memory target of issue 12: chunk x (concurrency + 1) + 64 MiB, from each driver's defaults (READMEs).
var benchMemoryBound = new Dictionary<string, (long Chunk, int Concurrency)>
{
    ["filesystem"] = (0, 0),
    ["s3"] = (10L << 20, 4),
    ["rados"] = (4L << 20, 4),
    ["swift"] = (20L << 20, 1),
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
    public List<double> Ours { get; } = new();
    public List<double> Peer { get; } = new();
}

static double Median(List<double> values)
{
    var sorted = values.OrderBy(v => v).ToList();
    return sorted.Count == 0 ? double.NaN : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}

static string Fmt(double v) => double.IsNaN(v) ? "—" : v >= 100 ? v.ToString("F0", CultureInfo.InvariantCulture) : v >= 1 ? v.ToString("F2", CultureInfo.InvariantCulture) : v.ToString("F3", CultureInfo.InvariantCulture);

static string Spread(List<double> values) => values.Count == 0 ? "" : values.Count == 1 ? "" : $" ({Fmt(values.Min())}–{Fmt(values.Max())})";

// Ratio > 1 means ours is better, whatever the unit.
static double Ratio(BenchRow row) =>
    row.Ours.Count == 0 || row.Peer.Count == 0 || Median(row.Peer) <= 0 || Median(row.Ours) <= 0 ? double.NaN
    : row.HigherIsBetter ? Median(row.Ours) / Median(row.Peer) : Median(row.Peer) / Median(row.Ours);

// Runs our side: one workload in its own process; returns the RESULT key/values or null (and says why).
Dictionary<string, double> BenchOurs(string driver, string benchRoot, IDictionary<string, string> env, string arguments)
{
    var file = $"{artifacts}/bench/last-ours.txt";
    var (code, _) = Exec("bash", $"-c \"dotnet '{benchDll}' --plugin '{hostOut}/plugins/{driver}' --root '{benchRoot}' {arguments} > '{file}'\"", env);
    var text = System.IO.File.Exists(file) ? System.IO.File.ReadAllText(file) : "";
    var line = text.Split('\n').FirstOrDefault(l => l.StartsWith("RESULT "));
    if (code != 0 || line == null)
    {
        Error($"bench {driver}: ours {arguments} failed (exit {code})");
        return null;
    }
    return line.Substring(7).Split(' ', StringSplitOptions.RemoveEmptyEntries)
        .Select(p => p.Split('=', 2))
        .ToDictionary(p => p[0], p => double.Parse(p[1], CultureInfo.InvariantCulture));
}

// Runs a peer command under GNU time; returns (wall seconds, peak RSS bytes) or null.
(double Seconds, long Peak)? BenchPeer(string driver, IDictionary<string, string> env, string script)
{
    var timeFile = $"{artifacts}/bench/last-peer-time.txt";
    var scriptFile = $"{artifacts}/bench/last-peer.sh";
    System.IO.File.WriteAllText(scriptFile, "set -euo pipefail\n" + script + "\n");
    var (code, _) = Exec("/usr/bin/time", $"-f \"%e %M\" -o \"{timeFile}\" bash \"{scriptFile}\"", env);
    if (code != 0)
    {
        Error($"bench {driver}: peer failed (exit {code}): {script}");
        return null;
    }
    var parts = System.IO.File.ReadAllLines(timeFile).Last().Split(' ');
    return (double.Parse(parts[0], CultureInfo.InvariantCulture), long.Parse(parts[1], CultureInfo.InvariantCulture) * 1024);
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
}

// rclone reads its remote from RCLONE_CONFIG_* variables (no config file, no secret on a command line);
// the machine's AWS_CA_BUNDLE breaks it (services.md), hence env -u.
BenchPeerTool PeerFor(string driver, string benchRoot, IDictionary<string, string> env)
{
    string Get(string key) => env.TryGetValue(key, out var v) ? v : "";
    switch (driver)
    {
        case "filesystem":
            return new BenchPeerTool
            {
                Name = "dd / mv / ls / find / rm",
                Write = (o, n) => $"dd if=/dev/zero of='{benchRoot}/{o}' bs=1M count={n >> 20} status=none",
                Read = o => $"dd if='{benchRoot}/{o}' of=/dev/null bs=1M status=none",
                Move = (s, d) => $"mv '{benchRoot}/{s}' '{benchRoot}/{d}'",
                List = d => $"ls -1 '{benchRoot}/{d}' | wc -l",
                Walk = d => $"find '{benchRoot}/{d}' | wc -l",
                Delete = d => $"rm -rf '{benchRoot}/{d}'",
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
            var rados = $"rados -c '{Get("REGSTORE_TEST_RADOS_CONFFILE")}' --keyring '{Get("REGSTORE_TEST_RADOS_KEYRING")}' -n client.{Get("REGSTORE_TEST_RADOS_USERNAME")} -p '{Get("REGSTORE_TEST_RADOS_POOLNAME")}'";
            const long stripe = 64L << 20;
            string Stripes(long n) => $"$(seq 0 {Math.Max(0, (n + stripe - 1) / stripe - 1)})";
            var size = 0L;
            return new BenchPeerTool
            {
                Name = "rados put/get (64 MiB objects)",
                Write = (o, n) => { size = n; return $"for i in {Stripes(n)}; do head -c {Math.Min(n, stripe)} /dev/zero | {rados} put '{benchRoot}-{o}.'$i -; done"; },
                Read = o => $"for i in {Stripes(size)}; do {rados} get '{benchRoot}-{o}.'$i - > /dev/null; done",
                Delete = null,
            };
        }
        default:
            return null;
    }

    BenchPeerTool RclonePeer(string name, string prefix, string flags) => new BenchPeerTool
    {
        Name = name,
        Write = (o, n) => $"head -c {n} /dev/zero | env -u AWS_CA_BUNDLE rclone rcat {flags} '{prefix}/{o}'",
        Read = o => $"env -u AWS_CA_BUNDLE rclone cat '{prefix}/{o}' > /dev/null",
        Move = (s, d) => $"env -u AWS_CA_BUNDLE rclone moveto '{prefix}/{s}' '{prefix}/{d}'",
        List = d => $"env -u AWS_CA_BUNDLE rclone lsf '{prefix}/{d}' | wc -l",
        Walk = d => $"env -u AWS_CA_BUNDLE rclone lsf -R --fast-list '{prefix}/{d}' | wc -l",
        Delete = d => $"env -u AWS_CA_BUNDLE rclone purge '{prefix}/{d}'",
    };
}

// The plain Azure.Storage.Blobs upload/download of plugins/Azure/bench (same block size and concurrency as the driver).
(double Up, double Down, long Peak)? AzureSdkPeer(long size, IDictionary<string, string> env)
{
    var file = $"{artifacts}/bench/last-azure-sdk.txt";
    var timeFile = $"{artifacts}/bench/last-peer-time.txt";
    var (code, _) = Exec("bash", $"-c \"/usr/bin/time -f '%e %M' -o '{timeFile}' dotnet '{azurePeerDll}' {size} 1 sdk-upload,sdk-download > '{file}'\"", env);
    if (code != 0) return null;
    double Seconds(string phase)
    {
        var line = System.IO.File.ReadAllLines(file).First(l => l.StartsWith(phase));
        var m = Regex.Match(line.Substring(40), @"^\s*([0-9.]+) s");
        return double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
    }
    var peak = long.Parse(System.IO.File.ReadAllLines(timeFile).Last().Split(' ')[1], CultureInfo.InvariantCulture) * 1024;
    return (Seconds("sdk upload"), Seconds("sdk download"), peak);
}

List<BenchRow> BenchDriver(string driver, IDictionary<string, string> env, long big)
{
    var id = Guid.NewGuid().ToString("N").Substring(0, 8);
    var benchRoot = driver == "filesystem" ? $"{servicesDir}/bench/fs-{id}" : $"regstore-bench/{id}";
    var mib = big / (double)(1 << 20);
    var rows = new List<BenchRow>();
    BenchRow Row(string workload, string unit, bool higher) { var r = new BenchRow { Workload = workload, Unit = unit, HigherIsBetter = higher }; rows.Add(r); return r; }
    var write = Row($"stream write {benchBig} (writer + commit)", "MiB/s", true);
    var read = Row($"stream read {benchBig}", "MiB/s", true);
    var move = Row($"Move {benchBig}", "s", false);
    var put1k = Row("PutContent 1 KiB, sequential", "ops/s", true);
    var get1k = Row("GetContent 1 KiB, sequential", "ops/s", true);
    var put1m = Row("PutContent 1 MiB, sequential", "ops/s", true);
    var get1m = Row("GetContent 1 MiB, sequential", "ops/s", true);
    var list = Row($"List of a {benchList}-entry directory", "s", false);
    var walk = Row($"Walk of {benchWalk} files (100 per directory)", "s", false);
    var delete = Row($"Delete of a {benchDelete}-file tree", "s", false);
    var memory = Row($"peak RSS during the {benchBig} write", "MiB", false);
    var peer = PeerFor(driver, benchRoot, env);
    foreach (var r in rows) r.PeerName = peer?.Name ?? (driver == "azure" ? "Azure.Storage.Blobs" : "—");
    foreach (var r in new[] { put1k, get1k, put1m, get1m }) { r.PeerName = "—"; r.Note = "no peer: a CLI pays process start-up per object"; }
    if (driver == "filesystem") System.IO.Directory.CreateDirectory(benchRoot);

    string Ours(string args) => args;
    Dictionary<string, double> Run(string args) => BenchOurs(driver, benchRoot, env, args);

    // Trees listed and walked by both sides are written once, by our driver (untimed set-up).
    Run(Ours($"--workload populate-flat --path /list --count {benchList}"));
    Run(Ours($"--workload populate --path /walk --count {benchWalk}"));
    for (var rep = 1; rep <= benchReps; rep++)
    {
        Information($"bench {driver}: repetition {rep}/{benchReps}");
        if (Run($"--workload write --path /big --size {big}") is { } w)
        {
            write.Ours.Add(mib / w["seconds"]);
            memory.Ours.Add(w["peak"] / (1 << 20));
        }
        if (driver == "azure")
        {
            if (AzureSdkPeer(big, env) is { } a)
            {
                write.Peer.Add(mib / a.Up);
                read.Peer.Add(mib / a.Down);
                memory.Peer.Add(a.Peak / (double)(1 << 20));
            }
        }
        else if (peer?.Write != null && BenchPeer(driver, env, peer.Write("peer-big", big)) is { } pw)
        {
            write.Peer.Add(mib / pw.Seconds);
            memory.Peer.Add(pw.Peak / (double)(1 << 20));
        }

        if (Run("--workload read --path /big") is { } rd) read.Ours.Add(mib / rd["seconds"]);
        if (peer?.Read != null && BenchPeer(driver, env, peer.Read("peer-big")) is { } pr) read.Peer.Add(mib / pr.Seconds);

        if (Run("--workload move --path /big --dst /big-moved") is { } mv) move.Ours.Add(mv["seconds"]);
        if (peer?.Move != null && BenchPeer(driver, env, peer.Move("peer-big", "peer-big-moved")) is { } pm) move.Peer.Add(pm.Seconds);
        Run("--workload delete --path /big-moved");

        if (Run($"--workload putget --path /small1k --size 1KiB --count {benchSmall}") is { } s1) { put1k.Ours.Add(s1["put_ops"]); get1k.Ours.Add(s1["get_ops"]); }
        if (Run($"--workload putget --path /small1m --size 1MiB --count {Math.Max(5, benchSmall / 4)}") is { } s2) { put1m.Ours.Add(s2["put_ops"]); get1m.Ours.Add(s2["get_ops"]); }

        if (Run("--workload list --path /list") is { } l) list.Ours.Add(l["seconds"]);
        if (peer?.List != null && BenchPeer(driver, env, peer.List("list")) is { } pl) list.Peer.Add(pl.Seconds);
        if (Run("--workload walk --path /walk") is { } wk) walk.Ours.Add(wk["seconds"]);
        if (peer?.Walk != null && BenchPeer(driver, env, peer.Walk("walk")) is { } pk) walk.Peer.Add(pk.Seconds);

        Run($"--workload populate --path /del-ours-{rep} --count {benchDelete}");
        if (Run($"--workload delete --path /del-ours-{rep}") is { } d) delete.Ours.Add(d["seconds"]);
        if (peer?.Delete != null)
        {
            Run($"--workload populate --path /del-peer-{rep} --count {benchDelete}");
            if (BenchPeer(driver, env, peer.Delete($"del-peer-{rep}")) is { } pd) delete.Peer.Add(pd.Seconds);
        }

        // The peer's own objects go each repetition so the next write starts from the same state.
        if (driver is "s3" or "swift") BenchPeer(driver, env, $"env -u AWS_CA_BUNDLE rclone delete '{(driver == "s3" ? "rgw" : "sw")}:{(driver == "s3" ? env["REGSTORE_TEST_S3_BUCKET"] : env["REGSTORE_TEST_SWIFT_CONTAINER"])}/{benchRoot}' --include 'peer-big*' || true");
        if (driver == "filesystem") System.IO.File.Delete($"{benchRoot}/peer-big-moved");
    }

    Run("--workload delete --path /list");
    Run("--workload delete --path /walk");
    if (driver == "rados") BenchPeer(driver, env, $"rados -c '{env["REGSTORE_TEST_RADOS_CONFFILE"]}' --keyring '{env["REGSTORE_TEST_RADOS_KEYRING"]}' -n client.{env["REGSTORE_TEST_RADOS_USERNAME"]} -p '{env["REGSTORE_TEST_RADOS_POOLNAME"]}' ls | grep '^{benchRoot}-peer-big' | xargs -r -n1 rados -c '{env["REGSTORE_TEST_RADOS_CONFFILE"]}' --keyring '{env["REGSTORE_TEST_RADOS_KEYRING"]}' -n client.{env["REGSTORE_TEST_RADOS_USERNAME"]} -p '{env["REGSTORE_TEST_RADOS_POOLNAME"]}' rm");
    if (driver == "filesystem") System.IO.Directory.Delete(benchRoot, true);
    if (peer?.Move == null) move.Note = "no peer equivalent";
    if (driver == "filesystem") move.Note = "mv is a rename: below GNU time's 10 ms resolution, so no ratio";
    if (peer?.List == null) { list.Note = "no peer equivalent"; walk.Note = "no peer equivalent"; delete.Note = "no peer equivalent"; }
    var (chunk, concurrency) = benchMemoryBound.GetValueOrDefault(driver);
    memory.Note = chunk == 0 ? "target: no chunking; 64 MiB over the runtime" : $"target ≤ {(chunk * (concurrency + 1) >> 20) + 64} MiB (chunk {chunk >> 20} MiB × ({concurrency}+1) + 64 MiB)";
    return rows;
}

// A horizontal bar chart of ours/peer ratios (1.0 line; > 1 = ours better), plain SVG.
string RatioChart(string driver, List<BenchRow> rows)
{
    var bars = rows.Select(r => (r.Workload, Ratio: Ratio(r))).Where(b => !double.IsNaN(b.Ratio)).ToList();
    const int labelWidth = 330, plotWidth = 360, barHeight = 22, top = 40;
    var max = Math.Max(2.0, bars.Select(b => b.Ratio).DefaultIfEmpty(1).Max() * 1.1);
    double X(double ratio) => labelWidth + plotWidth * Math.Min(ratio, max) / max;
    var height = top + bars.Count * barHeight + 30;
    var svg = new System.Text.StringBuilder();
    svg.AppendLine($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{labelWidth + plotWidth + 60}\" height=\"{height}\" font-family=\"sans-serif\" font-size=\"12\">");
    svg.AppendLine($"<text x=\"10\" y=\"20\" font-size=\"14\" font-weight=\"bold\">{driver}: ours ÷ peer (median; &gt; 1 = ours faster / leaner)</text>");
    for (var i = 0; i < bars.Count; i++)
    {
        var y = top + i * barHeight;
        var colour = bars[i].Ratio >= 1 ? "#2e7d32" : bars[i].Ratio >= 0.8 ? "#f9a825" : "#c62828";
        svg.AppendLine($"<text x=\"{labelWidth - 6}\" y=\"{y + 15}\" text-anchor=\"end\">{System.Security.SecurityElement.Escape(bars[i].Workload)}</text>");
        svg.AppendLine(FormattableString.Invariant($"<rect x=\"{labelWidth}\" y=\"{y + 3}\" width=\"{X(bars[i].Ratio) - labelWidth:F1}\" height=\"{barHeight - 6}\" fill=\"{colour}\"/>"));
        svg.AppendLine(FormattableString.Invariant($"<text x=\"{X(bars[i].Ratio) + 4:F1}\" y=\"{y + 15}\">{bars[i].Ratio:F2}×</text>"));
    }
    svg.AppendLine(FormattableString.Invariant($"<line x1=\"{X(1):F1}\" y1=\"{top - 4}\" x2=\"{X(1):F1}\" y2=\"{top + bars.Count * barHeight + 4}\" stroke=\"black\" stroke-dasharray=\"4,3\"/>"));
    svg.AppendLine(FormattableString.Invariant($"<text x=\"{X(1):F1}\" y=\"{height - 8}\" text-anchor=\"middle\">1.0× peer</text>"));
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

string MachineSection()
{
    return string.Join("\n", new[]
    {
        $"- date (UTC): {DateTime.UtcNow:yyyy-MM-dd HH:mm}; mode: {(quick ? "quick" : "full")}; repetitions: {benchReps}; big size {benchBig}",
        $"- CPU: {Shell("nproc")} cores ({Shell("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2").Trim()}); memory: {Shell("free -h | awk '/Mem:/{print $2}'")}",
        $"- disk under the services dir: {Shell($"df -h --output=fstype,size,avail '{servicesDir}' | tail -1")}",
        $"- kernel: {Shell("uname -r")}; .NET SDK {Shell("dotnet --version")}; {Shell("rclone version | head -1")}; {Shell("ceph --version 2>/dev/null | cut -d'(' -f1")}; swift {Shell("/usr/bin/python3 -c 'import swift; print(swift.__version__)' 2>/dev/null")}",
        $"- load average at the start of the report: {Shell("cut -d' ' -f1-3 /proc/loadavg")} (the machine is shared by ~8 engineers building and testing)",
    });
}

Task("bench").IsDependentOn("publish").Does(() =>
{
    System.IO.Directory.CreateDirectory($"{artifacts}/bench");
    // --bench-no-build: reuse the bench programs built by an earlier run (a loaded machine spends minutes in MSBuild).
    var build = !HasArgument("bench-no-build");
    if (build) DotNetBuild(benchProject, new DotNetBuildSettings { Configuration = configuration });
    var big = ByteSizeOf(benchBig);
    var needed = benchDrivers.Where(benchServices.ContainsKey).Select(d => benchServices[d].Service).Distinct().ToList();
    if (build && benchDrivers.Contains("azure")) DotNetBuild(azurePeerProject, new DotNetBuildSettings { Configuration = configuration });

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

    var results = new List<(string Driver, List<BenchRow> Rows, string Problem)>();
    var loadBefore = Shell("cut -d' ' -f1-3 /proc/loadavg");
    var machine = MachineSection();
    try
    {
        foreach (var driver in benchDrivers)
        {
            var env = LoadServiceEnvironment();
            if (benchServices.TryGetValue(driver, out var svc) && !env.ContainsKey(svc.Probe))
            {
                results.Add((driver, new List<BenchRow>(), $"not run: service {svc.Service} is not up"));
                continue;
            }
            var watch = Stopwatch.StartNew();
            var rows = BenchDriver(driver, env, big);
            Information($"bench {driver}: {watch.Elapsed.TotalSeconds:F0} s");
            var failedRows = rows.Where(r => r.Ours.Count < benchReps).Select(r => r.Workload).ToList();
            results.Add((driver, rows, failedRows.Count > 0 ? $"our driver failed in some repetitions of: {string.Join("; ", failedRows)} (errors in the bench log)" : null));
            WriteBenchReport(results, machine, loadBefore);
        }
    }
    finally
    {
        foreach (var service in Enumerable.Reverse(startedHere))
        {
            Exec("bash", $"{root}/services/{service}/stop.sh", serviceEnv);
        }
    }

    WriteBenchReport(results, machine, loadBefore);
    var failed = results.Count(r => r.Problem != null);
    if (failed > 0)
    {
        // The command works even when a driver fails; the report records it. CI sees it in the log.
        Warning($"bench: {failed} driver(s) did not complete every workload");
    }
});

// The generated part of the report, rewritten after every driver so a run cut short still leaves its figures.
void WriteBenchReport(List<(string Driver, List<BenchRow> Rows, string Problem)> results, string machine, string loadBefore)
{
    var md = new System.Text.StringBuilder();
    md.AppendLine("<!-- bench:begin (generated by ./build.sh bench; text outside these markers is kept) -->");
    md.AppendLine("### Machine and run\n");
    md.AppendLine(machine);
    md.AppendLine($"- load average before / after the run: {loadBefore} / {Shell("cut -d' ' -f1-3 /proc/loadavg")}");
    md.AppendLine($"- command: `./build.sh bench{(quick ? " --quick" : "")} --bench-reps={benchReps} --bench-big={benchBig} --bench-list={benchList} --bench-walk={benchWalk} --bench-delete={benchDelete} --bench-small={benchSmall} --bench-drivers={string.Join(",", benchDrivers)}`");
    md.AppendLine("- each cell: median of the repetitions (min–max); ratio = ours ÷ peer for rates, peer ÷ ours for times (so > 1 always means ours is better); ours is timed inside the process, the peer's wall time includes its process start-up.\n");
    System.IO.Directory.CreateDirectory($"{benchOut}/benchmarks/charts");
    foreach (var (driver, rows, problem) in results)
    {
        md.AppendLine($"### {driver}\n");
        if (problem != null) md.AppendLine($"**{problem}**\n");
        if (rows.Count == 0) continue;
        md.AppendLine("| workload | unit | ours | peer | peer tool | ratio | note |");
        md.AppendLine("| --- | --- | ---: | ---: | --- | ---: | --- |");
        foreach (var r in rows)
        {
            md.AppendLine($"| {r.Workload} | {r.Unit} | {Fmt(Median(r.Ours))}{Spread(r.Ours)} | {Fmt(Median(r.Peer))}{Spread(r.Peer)} | {(r.Peer.Count == 0 ? "—" : r.PeerName)} | {(double.IsNaN(Ratio(r)) ? "—" : Ratio(r).ToString("F2", CultureInfo.InvariantCulture) + "×")} | {r.Note} |");
        }
        System.IO.File.WriteAllText($"{benchOut}/benchmarks/charts/{driver}.svg", RatioChart(driver, rows));
        md.AppendLine($"\n![{driver}: ours ÷ peer](benchmarks/charts/{driver}.svg)\n");
    }
    md.AppendLine("<!-- bench:end -->");

    var reportPath = $"{benchOut}/benchmarks.md";
    var existing = System.IO.File.Exists(reportPath) ? System.IO.File.ReadAllText(reportPath) : "# Benchmarks\n\n<!-- bench:begin -->\n<!-- bench:end -->\n";
    var begin = existing.IndexOf("<!-- bench:begin");
    var end = existing.IndexOf("<!-- bench:end -->");
    var report = begin >= 0 && end > begin
        ? existing.Substring(0, begin) + md.ToString().TrimEnd() + existing.Substring(end + "<!-- bench:end -->".Length)
        : existing.TrimEnd() + "\n\n" + md;
    System.IO.File.WriteAllText(reportPath, report);
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
