using System.Diagnostics;

namespace Registry.Storage.Bench;

/// <summary>
/// A whole run: every driver of the options against the servers whose variables are in the
/// environment, one after the other, the report rewritten after each driver and during one.
/// </summary>
internal static class BenchRun
{
    /// <summary>Which service each driver needs and the variable that proves it is up.</summary>
    public static readonly IReadOnlyDictionary<string, (string Service, string Probe)> Services = new Dictionary<string, (string, string)>(StringComparer.Ordinal)
    {
        ["s3"] = ("ceph", "REGSTORE_TEST_S3_BUCKET"),
        ["rados"] = ("ceph", "REGSTORE_TEST_RADOS_POOLNAME"),
        ["swift"] = ("swift", "REGSTORE_TEST_SWIFT_CONTAINER"),
        ["azure"] = ("azurite", "REGSTORE_TEST_AZURE_CONTAINER"),
    };

    /// <summary>Runs every driver of <paramref name="o"/>; the results, one per driver (a problem when it did not produce every figure).</summary>
    public static List<DriverResult> Run(BenchOptions o, IReadOnlyDictionary<string, string> environment)
    {
        var watch = Stopwatch.StartNew();
        var runDir = SnapshotPrograms(o);
        var results = new List<DriverResult>();
        var loadBefore = Machine.LoadAverage();
        var machine = Machine.Section(o);
        // Built once for the run (a few seconds with the cache warm); a failure leaves the Go figures missing and says why.
        var go = o.Drivers.Any(GoPeer.Drivers.Contains) ? GoPeer.Build(o, runDir) : (null, null);
        void Write(List<DriverResult> drivers) =>
            Log.Information($"bench: report {Report.Write(o.Out, new BenchResultSet { Options = o, Machine = machine, LoadBefore = loadBefore, LoadNow = Machine.LoadAverage(), Elapsed = watch.Elapsed, Drivers = drivers })}");
        try
        {
            foreach (var driver in o.Drivers)
            {
                if (Services.TryGetValue(driver, out var svc) && !environment.ContainsKey(svc.Probe))
                {
                    results.Add(new DriverResult { Driver = driver, Problem = $"not run: service {svc.Service} is not up" });
                    continue;
                }

                var plugin = Path.Combine(o.Plugins, driver);
                if (!Directory.Exists(plugin))
                {
                    results.Add(new DriverResult { Driver = driver, Problem = $"not run: no plugin folder {o.Plugins}/{driver}" });
                    continue;
                }

                // DriverBench too: it carries the contract assembly the plugin was built against.
                CopyTree(DriverBenchBin(o), Path.Combine(runDir, $"driverbench-{driver}"));
                CopyTree(plugin, Path.Combine(runDir, "plugins", driver));
                var assembly = Directory.GetFiles(plugin, "Registry.Storage.Drivers.*.dll").FirstOrDefault();
                var built = assembly == null ? "?" : $"{File.GetLastWriteTimeUtc(assembly):HH:mm}";
                Log.Information($"bench {driver}: plugin {o.Plugins}/{driver}, built {built} UTC");
                var driverWatch = Stopwatch.StartNew();
                var driverEnvironment = new Dictionary<string, string>(environment);
                if (driver == "rados")
                {
                    // As plugins/Rados/README.md tells a host that uses rados to run (glibc reads it at start).
                    driverEnvironment.TryAdd("MALLOC_ARENA_MAX", "2");
                }

                var run = new DriverRun(driver, o, runDir, driverEnvironment, go);
                run.Run(state => Write([.. results, new DriverResult { Driver = driver, Rows = run.Rows, Elapsed = driverWatch.Elapsed, Problem = $"in progress: {state}", Built = built, Bound = run.Bound }]));
                Log.Information($"bench {driver}: {driverWatch.Elapsed.TotalSeconds:F0} s");
                var incomplete = run.Rows.Where(r => !r.Complete).Select(r => r.Workload).ToList();
                results.Add(new DriverResult
                {
                    Driver = driver,
                    Rows = run.Rows,
                    Elapsed = driverWatch.Elapsed,
                    Built = built,
                    Bound = run.Bound,
                    Problem = incomplete.Count == 0 ? null
                        : $"figures missing for: {string.Join("; ", incomplete)} (errors in the bench log){(GoPeer.Drivers.Contains(driver) && go.Problem != null ? $"; {go.Problem}" : "")}",
                });
                Write(results);
            }
        }
        finally
        {
            Directory.Delete(runDir, true);
        }

        Write(results);
        Log.Information($"bench: {results.Count(r => r.Problem == null)} of {results.Count} drivers complete in {watch.Elapsed.TotalSeconds:F0} s");
        return results;
    }

    private static string DriverBenchBin(BenchOptions o) => Path.Combine(o.Repo, "bench", "Registry.Storage.DriverBench", "bin", o.Configuration, "net10.0");

    private static string AzurePeerBin(BenchOptions o) => Path.Combine(o.Repo, "plugins", "Azure", "bench", "bin", o.Configuration, "net10.0");

    // Copies what the run executes (the Azure SDK peer now, DriverBench and the plugin when each
    // driver starts) into a folder of its own: a `./build.sh publish` or build by someone else
    // during a long run cleans or rewrites artifacts/regstore and bin/, which would pull files from
    // under the running processes.
    private static string SnapshotPrograms(BenchOptions o)
    {
        var runDir = Path.Combine(o.Artifacts, "bench", $"run-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Guid.NewGuid().ToString("N")[..4]}");
        Directory.CreateDirectory(runDir);
        if (o.Drivers.Contains("azure") && Directory.Exists(AzurePeerBin(o)))
        {
            CopyTree(AzurePeerBin(o), Path.Combine(runDir, "azure-peer"));
        }

        return runDir;
    }

    /// <summary>Copies the folder <paramref name="from"/> with everything below it to <paramref name="to"/>.</summary>
    public static void CopyTree(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var dir in Directory.GetDirectories(from, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(to + dir[from.Length..]);
        }

        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, to + file[from.Length..]);
        }
    }
}
