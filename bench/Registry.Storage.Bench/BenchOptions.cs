using System.Globalization;
using System.Text.Json.Serialization;

namespace Registry.Storage.Bench;

/// <summary>
/// Sizes and repetitions of one bench run (full defaults = issue 12; quick = smoke), and where the
/// run finds the repository, its build and the servers. <see cref="Parse"/> reads the command line
/// of <c>./build.sh bench</c> as build/bench.cake forwards it.
/// </summary>
internal sealed record BenchOptions
{
    public const string Usage =
        "usage: Registry.Storage.Bench run [--quick] [--bench-reps=N] [--bench-delete-reps=N] [--bench-big=1GiB]\n" +
        "         [--bench-list=N] [--bench-walk=N] [--bench-delete=N] [--bench-small=N] [--bench-drivers=filesystem,s3,...]\n" +
        "         [--bench-plugins=DIR] [--bench-no-build] [--repo=DIR] [--configuration=Release] [--services-dir=DIR]\n" +
        "         [--no-start-services] [--bench-registry=serve,gc|none] [--bench-gc-blobs=N] [--bench-out=DIR]\n" +
        "       Registry.Storage.Bench registry [--bench-registry=serve,gc] [--bench-gc-blobs=N] [--bench-reps=N] [--repo=DIR] [--services-dir=DIR]\n" +
        "       Registry.Storage.Bench render --results FILE [--out DIR]\n" +
        "       run: the benchmark (full: report in docs/, quick: in artifacts/bench/); exit 1 when a driver did not produce every figure\n" +
        "       registry: only the registry benchmarks against docker-registry, on the servers already up (artifacts/bench/registry.md, gc.md)\n" +
        "       render: the report and charts again from a run's saved results (benchmarks/results.json)";

    /// <summary>The drivers benchmarked when <c>--bench-drivers</c> is not given.</summary>
    public const string DefaultDrivers = "filesystem,s3,rados,swift,azure";

    // The options of `run`, each taking a value; --quick, --bench-no-build and --no-start-services are flags.
    private static readonly string[] ValueOptions =
        ["bench-reps", "bench-delete-reps", "bench-big", "bench-list", "bench-walk", "bench-delete", "bench-small", "bench-drivers", "bench-plugins", "repo", "configuration", "services-dir", "bench-registry", "bench-gc-blobs", "bench-out"];

    /// <summary>The registry benchmarks a full run ends with: regstore serve and regstore gc, each against docker-registry.</summary>
    public static readonly string[] RegistryBenchmarks = ["serve", "gc"];

    private static readonly string[] Flags = ["quick", "bench-no-build", "no-start-services"];

    public bool Quick { get; init; }

    public int Reps { get; init; }

    /// <summary>Delete runs in the last N repetitions (the time budget of slow servers); never more than <see cref="Reps"/>.</summary>
    public int DeleteReps { get; init; }

    /// <summary>The size of the big stream, as given (<c>1GiB</c>); <see cref="BigBytes"/> in bytes.</summary>
    public string Big { get; init; } = "";

    public int List { get; init; }

    public int Walk { get; init; }

    public int Delete { get; init; }

    public int Small { get; init; }

    public IReadOnlyList<string> Drivers { get; init; } = [];

    /// <summary>Which registry benchmarks run (<see cref="RegistryBenchmarks"/>), from <c>--bench-registry</c>.</summary>
    public IReadOnlyList<string> Registry { get; init; } = RegistryBenchmarks;

    /// <summary>Blobs in the tree the gc benchmark generates (<c>--bench-gc-blobs</c>, default 10 000).</summary>
    public int GcBlobs { get; init; } = 10_000;

    /// <summary>
    /// Where the report goes: <c>docs/</c> (full) or <c>artifacts/bench/</c> (quick), or
    /// <c>--bench-out</c>, so a partial full run (some drivers) need not replace the committed report.
    /// </summary>
    public string Out { get; init; } = "";

    /// <summary>Where each driver's plugin folder is copied from when that driver starts (DIR/&lt;driver&gt;).</summary>
    public string Plugins { get; init; } = "";

    /// <summary>The repository (services/, bench/, plugins/, docs/ and artifacts/ below it).</summary>
    public string Repo { get; init; } = "";

    /// <summary>The build configuration whose DriverBench and Azure SDK peer are run.</summary>
    public string Configuration { get; init; } = "Release";

    /// <summary>Where the servers' <c>&lt;service&gt;.env</c> files are (REGSTORE_SERVICES_DIR).</summary>
    public string ServicesDir { get; init; } = "";

    /// <summary>Start (and afterwards stop) a needed server that is not up; off for the test command, which started them.</summary>
    public bool StartServices { get; init; } = true;

    [JsonIgnore]
    public string Artifacts => Path.Combine(Repo, "artifacts");

    [JsonIgnore]
    public long BigBytes => ByteSize.TryParse(Big, out var bytes) ? bytes : throw new ArgumentException($"--bench-big expects a size such as 1GiB, got '{Big}'");

    /// <summary>The command that reproduces the run, for the report.</summary>
    [JsonIgnore]
    public string CommandLine => $"./build.sh bench{(Quick ? " --quick" : "")} --bench-reps={Reps} --bench-delete-reps={DeleteReps} --bench-big={Big} --bench-list={List} --bench-walk={Walk} --bench-delete={Delete} --bench-small={Small} --bench-drivers={string.Join(",", Drivers)}";

    /// <summary>
    /// Reads <c>run</c>'s options (<c>--name=value</c> or <c>--name value</c>); the defaults depend on
    /// <c>--quick</c>; the services dir defaults to <paramref name="servicesDirVariable"/>
    /// (REGSTORE_SERVICES_DIR), else <c>.services</c> in the repository. Throws <see cref="ArgumentException"/> naming the option at fault.
    /// </summary>
    public static BenchOptions Parse(IReadOnlyList<string> args, string? servicesDirVariable = null)
    {
        var named = Named(args);
        var quick = named.ContainsKey("quick");
        var repo = Path.GetFullPath(named.GetValueOrDefault("repo") ?? Directory.GetCurrentDirectory());
        var artifacts = Path.Combine(repo, "artifacts");
        var reps = Int(named, "bench-reps", quick ? 1 : 3);
        var options = new BenchOptions
        {
            Quick = quick,
            Reps = reps,
            DeleteReps = Math.Min(reps, Int(named, "bench-delete-reps", reps)),
            Big = named.GetValueOrDefault("bench-big") ?? (quick ? "8MiB" : "1GiB"),
            List = Int(named, "bench-list", quick ? 50 : 1000),
            Walk = Int(named, "bench-walk", quick ? 200 : 10000),
            Delete = Int(named, "bench-delete", quick ? 200 : 10000),
            Small = Int(named, "bench-small", quick ? 10 : 200),
            Drivers = (named.GetValueOrDefault("bench-drivers") ?? DefaultDrivers).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            Out = named.GetValueOrDefault("bench-out") is { } output ? Path.GetFullPath(output) : quick ? Path.Combine(artifacts, "bench") : Path.Combine(repo, "docs"),
            Plugins = Path.GetFullPath(named.GetValueOrDefault("bench-plugins") ?? Path.Combine(artifacts, "regstore", "plugins")),
            Repo = repo,
            Configuration = named.GetValueOrDefault("configuration") ?? "Release",
            ServicesDir = Path.GetFullPath(named.GetValueOrDefault("services-dir") ?? (servicesDirVariable is { Length: > 0 } ? servicesDirVariable : null) ?? Path.Combine(repo, ".services")),
            StartServices = !named.ContainsKey("no-start-services"),
            // none: a full run without the registry benchmarks (an empty value would not survive Cake's forwarding).
            Registry = named.GetValueOrDefault("bench-registry") == "none" ? []
                : (named.GetValueOrDefault("bench-registry") ?? string.Join(",", RegistryBenchmarks)).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            GcBlobs = Int(named, "bench-gc-blobs", 10_000),
        };
        if (options.Registry.FirstOrDefault(r => !RegistryBenchmarks.Contains(r)) is { } unknown)
        {
            throw new ArgumentException($"--bench-registry expects some of {string.Join(",", RegistryBenchmarks)}, got '{unknown}'");
        }

        if (options.Reps < 1 || options.DeleteReps < 0 || options.List < 1 || options.Walk < 1 || options.Delete < 1 || options.Small < 1 || options.GcBlobs < 20)
        {
            throw new ArgumentException("--bench-reps, --bench-list, --bench-walk, --bench-delete and --bench-small must be at least 1, --bench-delete-reps at least 0");
        }

        _ = options.BigBytes; // a bad size fails here, before any server is touched
        return options;
    }

    private static Dictionary<string, string?> Named(IReadOnlyList<string> args)
    {
        var named = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < args.Count; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
            {
                throw new ArgumentException($"unexpected argument '{args[i]}'");
            }

            var eq = args[i].IndexOf('=', StringComparison.Ordinal);
            var name = eq < 0 ? args[i][2..] : args[i][2..eq];
            if (Flags.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                // A flag is --quick, or --quick=true / --quick=false (--quick= is on, as Cake reads it).
                var on = true;
                if (eq >= 0 && args[i].Length > eq + 1 && !bool.TryParse(args[i][(eq + 1)..], out on))
                {
                    throw new ArgumentException($"--{name} is a flag, got '{args[i]}'");
                }

                if (on)
                {
                    named[name] = null;
                }
                else
                {
                    named.Remove(name);
                }
            }
            else if (ValueOptions.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                named[name] = eq >= 0 ? args[i][(eq + 1)..]
                    : i + 1 < args.Count ? args[++i]
                    : throw new ArgumentException($"--{name} needs a value");
            }
            else
            {
                throw new ArgumentException($"unknown option --{name}; the options are --{string.Join(", --", Flags.Concat(ValueOptions))}");
            }
        }

        return named;
    }

    private static int Int(Dictionary<string, string?> named, string name, int fallback) =>
        named.GetValueOrDefault(name) is not { } text ? fallback
        : int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value
        : throw new ArgumentException($"--{name} expects a whole number, got '{text}'");
}
