namespace Registry.Storage.Bench;

/// <summary>
/// The registry against distribution (full runs only): skopeo push/pull of an image through
/// <c>regstore serve</c> and docker-registry 2.8.2 on filesystem (and s3 when its service runs),
/// alternating, 3 repetitions (bench/registry/serve-vs-distribution.sh); the table goes to
/// artifacts/bench/registry.md.
/// </summary>
internal static class RegistryBench
{
    public static void Run(BenchOptions o, IReadOnlyDictionary<string, string> environment)
    {
        var clients = Path.Combine(o.Repo, "services", "registry-clients");
        if (Processes.Run("bash", [Path.Combine(clients, "install.sh")], environment) != 0 || Processes.Run("bash", [Path.Combine(clients, "start.sh")], environment) != 0)
        {
            Log.Error("bench: skopeo and docker-registry could not be installed; the registry benchmark is left out");
            return;
        }

        string[] backends = environment.ContainsKey("REGSTORE_TEST_S3_BUCKET") ? ["filesystem", "s3"] : ["filesystem"];
        var (code, table) = Processes.Capture("bash", [Path.Combine(o.Repo, "bench", "registry", "serve-vs-distribution.sh"), Path.Combine(o.Artifacts, "regstore"), .. backends], environment);
        var report = Path.Combine(o.Artifacts, "bench", "registry.md");
        File.WriteAllText(report, table);
        if (code != 0)
        {
            Log.Error($"bench: the registry benchmark exited with {code}");
        }
        else
        {
            Log.Information(table);
        }
    }
}
