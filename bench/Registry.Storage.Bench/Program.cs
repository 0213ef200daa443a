// `./build.sh bench` (build/bench.cake only calls this program; see bench/README.md):
//
//   Registry.Storage.Bench run [--quick] [--bench-drivers=s3,swift] [--bench-reps=N] [--bench-big=1GiB]
//                              [--bench-list=1000] [--bench-walk=10000] [--bench-delete=10000] [--bench-small=200]
//                              [--bench-delete-reps=N] [--bench-plugins=DIR] [--repo=DIR] [--configuration=Release]
//                              [--services-dir=DIR] [--no-start-services]
//   Registry.Storage.Bench render --results docs/benchmarks/results.json [--out docs]
//   Registry.Storage.Bench registry [--bench-registry=serve,gc] [--bench-gc-blobs=10000] [--bench-reps=N]
//
// For each driver, the workloads of issue 12 run through our driver and through the peer tool on
// the same server, alternating ours/peer inside every repetition. Our side is ONE process per
// driver (bench/Registry.Storage.DriverBench in serve mode: the driver is created once, each
// workload is a line on its stdin and answers with a RESULT line, timed inside the process); the
// peer runs between our workloads, timed by bash's $EPOCHREALTIME around the command (so its
// process start-up counts, bash's does not) and measured for peak RSS by GNU time.
// Medians and spreads go to docs/benchmarks.md between the `bench:begin/end` markers, SVG charts
// to docs/benchmarks/charts/, the figures themselves to docs/benchmarks/results.json (what
// `render` reads). --quick is a smoke run (small sizes, one repetition) that writes to
// artifacts/bench/ instead, so it never rewrites the committed report; it proves the command works
// and asserts nothing about speed. The test command runs it with --no-start-services as one check.
// Exit codes: 0 every driver produced every figure, 1 one did not (or the run failed), 2 usage.
using Registry.Storage.Bench;

if (args.Length == 0 || args[0] is not ("run" or "render" or "registry"))
{
    await Console.Error.WriteLineAsync(BenchOptions.Usage);
    return 2;
}

try
{
    return args[0] switch
    {
        "run" => Run(BenchOptions.Parse(args[1..], Environment.GetEnvironmentVariable("REGSTORE_SERVICES_DIR"))),
        "registry" => RunRegistry(BenchOptions.Parse(args[1..], Environment.GetEnvironmentVariable("REGSTORE_SERVICES_DIR"))),
        _ => Render(args[1..]),
    };
}
catch (ArgumentException ex)
{
    await Console.Error.WriteLineAsync($"bench: {ex.Message}\n{BenchOptions.Usage}");
    return 2;
}

// The registry benchmarks alone, against the servers already up (their .env files).
static int RunRegistry(BenchOptions o)
{
    Directory.CreateDirectory(Path.Combine(o.Artifacts, "bench"));
    return RegistryBench.Run(o, ServiceControl.Environment(o.ServicesDir)) ? 0 : 1;
}

static int Run(BenchOptions o)
{
    Directory.CreateDirectory(Path.Combine(o.Artifacts, "bench"));
    var needed = o.Drivers.Where(BenchRun.Services.ContainsKey).Select(d => BenchRun.Services[d].Service).Distinct();
    List<DriverResult> results;
    try
    {
        // Reuse a server another run already started (its .env exists); start (and later stop) only ours.
        using var services = ServiceControl.Ensure(o, needed);
        results = BenchRun.Run(o, ServiceControl.Environment(o.ServicesDir));
        if (!o.Quick && o.Registry.Count > 0)
        {
            RegistryBench.Run(o, ServiceControl.Environment(o.ServicesDir));
        }
    }
    catch (Exception ex) when (ex is IOException or InvalidOperationException or UnauthorizedAccessException)
    {
        Log.Error($"bench{(o.Quick ? " --quick" : "")}: {ex.Message}");
        return 1;
    }

    var failed = results.Where(r => r.Problem != null).ToList();
    foreach (var r in failed)
    {
        Log.Error($"bench{(o.Quick ? " --quick" : "")} {r.Driver}: {r.Problem}");
    }

    if (failed.Count > 0)
    {
        // The report records it; the command itself failing makes CI and the caller see it.
        Log.Error($"bench: {failed.Count} driver(s) did not produce every figure: {string.Join(", ", failed.Select(r => r.Driver))}");
        return 1;
    }

    return 0;
}

// The report and charts again from a run's saved figures, nothing measured.
static int Render(string[] args)
{
    string? results = null, output = null;
    for (var i = 0; i + 1 < args.Length; i += 2)
    {
        _ = args[i] switch
        {
            "--results" => results = args[i + 1],
            "--out" => output = args[i + 1],
            _ => throw new ArgumentException($"unknown option {args[i]}"),
        };
    }

    if (results == null || args.Length % 2 != 0)
    {
        throw new ArgumentException("render needs --results FILE");
    }

    var set = BenchResultSet.FromJson(File.ReadAllText(results));
    Log.Information($"bench: report {Report.Write(output ?? set.Options.Out, set)}");
    return 0;
}
