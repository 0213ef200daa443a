namespace Registry.Storage.Bench;

/// <summary>
/// The servers under services/&lt;name&gt;/ (install.sh, start.sh, stop.sh; services/README.md): a
/// server whose <c>&lt;name&gt;.env</c> exists in the services dir is up (another run started it)
/// and is reused; the others are started here and stopped by <see cref="Dispose"/>.
/// </summary>
internal sealed class ServiceControl : IDisposable
{
    private readonly BenchOptions _o;
    private readonly List<string> _started = [];

    private ServiceControl(BenchOptions o) => _o = o;

    /// <summary>Starts each of <paramref name="services"/> that is not up (when the options allow it).</summary>
    public static ServiceControl Ensure(BenchOptions o, IEnumerable<string> services)
    {
        var control = new ServiceControl(o);
        foreach (var service in services.Where(_ => o.StartServices).Where(s => !File.Exists(Path.Combine(o.ServicesDir, $"{s}.env"))))
        {
            var dir = Path.Combine(o.Repo, "services", service);
            if ((!File.Exists(Path.Combine(dir, "install.sh")) || control.Script(dir, "install.sh") == 0) && control.Script(dir, "start.sh") == 0)
            {
                control._started.Add(service);
            }
            else
            {
                Log.Error($"bench: service {service} could not be started");
            }
        }

        return control;
    }

    /// <summary>
    /// This process's environment with the variables of every <c>*.env</c> file in the services
    /// dir (<c>KEY=value</c> lines, <c>#</c> comments, quotes trimmed) and REGSTORE_SERVICES_DIR.
    /// </summary>
    public static Dictionary<string, string> Environment(string servicesDir)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry entry in System.Environment.GetEnvironmentVariables())
        {
            env[(string)entry.Key] = entry.Value as string ?? "";
        }

        env["REGSTORE_SERVICES_DIR"] = servicesDir;
        if (Directory.Exists(servicesDir))
        {
            foreach (var file in Directory.GetFiles(servicesDir, "*.env").Order(StringComparer.Ordinal))
            {
                foreach (var (key, value) in ReadEnvFile(File.ReadAllLines(file)))
                {
                    env[key] = value;
                }
            }
        }

        return env;
    }

    /// <summary>The variables of one <c>.env</c> file's lines.</summary>
    public static IEnumerable<(string Key, string Value)> ReadEnvFile(IEnumerable<string> lines)
    {
        foreach (var line in lines)
        {
            var eq = line.IndexOf('=', StringComparison.Ordinal);
            if (!line.StartsWith('#') && eq > 0)
            {
                yield return (line[..eq].Trim(), line[(eq + 1)..].Trim().Trim('"'));
            }
        }
    }

    /// <summary>Runs one of a service's scripts (or another folder's, such as services/registry-clients) with REGSTORE_SERVICES_DIR set.</summary>
    public int Script(string serviceDir, string script) =>
        Processes.Run("bash", [Path.Combine(serviceDir, script)], new Dictionary<string, string> { ["REGSTORE_SERVICES_DIR"] = _o.ServicesDir });

    public void Dispose()
    {
        foreach (var service in Enumerable.Reverse(_started))
        {
            Script(Path.Combine(_o.Repo, "services", service), "stop.sh");
        }
    }
}
