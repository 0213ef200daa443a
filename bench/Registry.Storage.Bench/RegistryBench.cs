using System.Globalization;

namespace Registry.Storage.Bench;

/// <summary>
/// The registry against distribution 2.8.2 (docker-registry), on filesystem and on s3 when its
/// service runs, alternating, <see cref="BenchOptions.Reps"/> repetitions, selected by
/// <c>--bench-registry</c> (full runs, and the <c>registry</c> command):
/// serve — skopeo push/pull of an image through <c>regstore serve</c> and docker-registry
/// (bench/registry/serve-vs-distribution.sh → artifacts/bench/registry.md);
/// gc — <c>regstore gc</c> against <c>docker-registry garbage-collect</c>, dry and real runs, on a
/// generated tree of <see cref="BenchOptions.GcBlobs"/> blobs (bench/registry/gc-vs-distribution.sh → artifacts/bench/gc.md).
/// </summary>
internal static class RegistryBench
{
    /// <summary>Runs the selected benchmarks; false when one could not run or failed.</summary>
    public static bool Run(BenchOptions o, IReadOnlyDictionary<string, string> environment)
    {
        var clients = Path.Combine(o.Repo, "services", "registry-clients");
        if (Processes.Run("bash", [Path.Combine(clients, "install.sh")], environment) != 0 || Processes.Run("bash", [Path.Combine(clients, "start.sh")], environment) != 0)
        {
            Log.Error("bench: skopeo and docker-registry could not be installed; the registry benchmark is left out");
            return false;
        }

        string[] backends = environment.ContainsKey("REGSTORE_TEST_S3_BUCKET") ? ["filesystem", "s3"] : ["filesystem"];
        var ok = true;
        if (o.Registry.Contains("serve"))
        {
            // skopeo alone beside the servers: on two cores the client is most of the cost, and its
            // own time bounds the ratio any server can reach.
            var serve = new Dictionary<string, string>(environment) { ["CLIENT_ALONE"] = "1" };
            ok &= RunScript(o, "serve-vs-distribution.sh", backends, "registry.md", serve);
        }

        if (o.Registry.Contains("gc"))
        {
            var gc = new Dictionary<string, string>(environment)
            {
                ["BLOBS"] = o.GcBlobs.ToString(CultureInfo.InvariantCulture),
                ["REPS"] = o.Reps.ToString(CultureInfo.InvariantCulture),
            };
            ok &= RunScript(o, "gc-vs-distribution.sh", backends, "gc.md", gc);
        }

        return ok;
    }

    private static bool RunScript(BenchOptions o, string script, string[] backends, string report, IReadOnlyDictionary<string, string> environment)
    {
        var (code, table) = Processes.Capture("bash", [Path.Combine(o.Repo, "bench", "registry", script), Path.Combine(o.Artifacts, "regstore"), .. backends], environment);
        File.WriteAllText(Path.Combine(o.Artifacts, "bench", report), table);
        if (code != 0)
        {
            Log.Error($"bench: bench/registry/{script} exited with {code}");
            return false;
        }

        Log.Information(table);
        return true;
    }
}
