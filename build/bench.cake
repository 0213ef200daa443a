// Loaded by build.cake (#load "build/bench.cake"); uses root, artifacts, configuration, quick,
// servicesDir and Exec.
//
// ./build.sh bench [--quick] [--bench-drivers=s3,swift] [--bench-reps=N] [--bench-big=1GiB]
//                  [--bench-list=1000] [--bench-walk=10000] [--bench-delete=10000] [--bench-small=200]
//                  [--bench-delete-reps=N] [--bench-plugins=DIR] [--bench-no-build] [--bench-registry=serve,gc] [--bench-gc-blobs=10000]
// ./build.sh bench-registry [--bench-registry=serve,gc] [--bench-gc-blobs=10000] [--bench-reps=N]  (the registry benchmarks alone)
//
// The benchmark is a compiled, tested program: bench/Registry.Storage.Bench (options, servers,
// DriverBench and the peer tools per driver, medians and ratios, the report between the
// bench:begin/end markers of docs/benchmarks.md, the charts, the registry benchmark; see
// bench/README.md). This file only runs it: the bench target with the command line's --quick and
// every --bench-* option as given, the test task's check (RunQuickBenchCheck) with the quick
// defaults against the servers the test task started.

// Runs the bench program with `arguments` after `run`; its exit code (0: every driver produced every figure).
// It runs from a copy of its bin/ folder: a build by someone else during a 30-minute run would
// rewrite the files under the running process (the program copies DriverBench and the plugins likewise).
int RunBenchProgram(string arguments, IDictionary<string, string> env = null, string verb = "run")
{
    var copy = $"{artifacts}/bench/program-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Guid.NewGuid().ToString("N").Substring(0, 4)}";
    CopyDirectory($"{root}/bench/Registry.Storage.Bench/bin/{configuration}/net10.0", copy);
    try
    {
        return Exec("dotnet", $"\"{copy}/Registry.Storage.Bench.dll\" {verb} --repo=\"{root}\" --configuration={configuration} --services-dir=\"{servicesDir}\" {arguments}", env).ExitCode;
    }
    finally
    {
        DeleteDirectory(copy, new DeleteDirectorySettings { Recursive = true, Force = true });
    }
}

// The test task's check: the quick run against the servers the test task started (none is started
// here). Passed when every workload of every driver produced its figures; nothing about speed.
(string Suite, int Passed, int Failed, int Skipped) RunQuickBenchCheck(IDictionary<string, string> testEnv)
{
    var passed = RunBenchProgram("--quick --no-start-services", testEnv) == 0;
    return ("bench --quick (every workload of every driver)", passed ? 1 : 0, passed ? 0 : 1, 0);
}

// Every --bench-* option of the command line, as given.
string ForwardedBenchOptions() => string.Join(" ", Context.Arguments.GetArguments()
    .Where(a => a.Key.StartsWith("bench-", StringComparison.OrdinalIgnoreCase))
    .SelectMany(a => a.Value.Select(v => string.IsNullOrEmpty(v) ? $"--{a.Key}" : $"--{a.Key}=\"{v}\"")));

// The registry benchmarks alone (serve and gc against docker-registry), against the servers already running.
Task("bench-registry").IsDependentOn("publish").Does(() =>
{
    var code = RunBenchProgram(ForwardedBenchOptions(), verb: "registry");
    if (code != 0)
    {
        throw new Exception($"bench-registry: the bench program exited with {code}");
    }
});

// publish builds the solution (the bench program, DriverBench, the Azure SDK peer) and the plugins it measures.
Task("bench").IsDependentOn("publish").Does(() =>
{
    var code = RunBenchProgram((quick ? "--quick " : "") + ForwardedBenchOptions());
    if (code != 0)
    {
        // The report records which driver missed figures; the command failing makes CI and the caller see it.
        throw new Exception($"bench: the bench program exited with {code}");
    }
});
