namespace Registry.Storage.Bench;

/// <summary>
/// The Go peer: distribution 2.8.2's own filesystem, s3-aws and swift drivers (the ones Debian
/// builds) behind DriverBench's serve protocol (bench/go-peer), so the report has "ours ÷ Go"
/// beside "ours ÷ peer tool". Built at the start of a run, in GOPATH mode against Debian's source
/// (golang-github-docker-distribution-dev and its dependencies; no module download), by Debian's
/// Go (golang-go), into the run's own folder, with the build cache kept under artifacts/.
/// </summary>
internal static class GoPeer
{
    /// <summary>The drivers the Go peer runs (Debian's package builds only these of distribution's).</summary>
    public static readonly IReadOnlySet<string> Drivers = new HashSet<string>(StringComparer.Ordinal) { "filesystem", "s3", "swift" };

    /// <summary>Debian's GOPATH (where its golang-*-dev packages put their source); REGSTORE_BENCH_GOPATH overrides it.</summary>
    public const string DebianGoPath = "/usr/share/gocode";

    /// <summary>A file or folder the build needs, each with the Debian package that brings it.</summary>
    public static IReadOnlyList<(string Path, string Package)> Requirements(string goPath)
    {
        var driver = Path.Combine(goPath, "src", "github.com", "docker", "distribution", "registry", "storage", "driver");
        const string distribution = "golang-github-docker-distribution-dev";
        return
        [
            (Path.Combine(driver, "filesystem", "driver.go"), distribution),
            (Path.Combine(driver, "s3-aws", "s3.go"), distribution),
            (Path.Combine(driver, "swift", "swift.go"), distribution),
            (Path.Combine(goPath, "src", "github.com", "aws", "aws-sdk-go", "aws", "session"), "golang-github-aws-aws-sdk-go-dev"),
            (Path.Combine(goPath, "src", "github.com", "ncw", "swift"), "golang-github-ncw-swift-dev"),
        ];
    }

    /// <summary>
    /// What is missing for the build, as one message naming each missing piece and its package
    /// (null: nothing); <paramref name="go"/> is the go command found on PATH, if any.
    /// </summary>
    public static string? Missing(string? go, string goPath, Func<string, bool> exists)
    {
        var missing = new List<string>();
        if (go == null)
        {
            missing.Add("the go command (package golang-go) is not on PATH");
        }

        missing.AddRange(Requirements(goPath).Where(r => !exists(r.Path)).Select(r => $"{r.Path} (package {r.Package})"));
        return missing.Count == 0 ? null
            : $"the Go peer cannot be built: missing {string.Join("; ", missing)}; services/registry-clients/install.sh installs them";
    }

    /// <summary>The go command on <paramref name="path"/> (PATH's value), or null.</summary>
    public static string? FindGo(string? path) =>
        (path ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries).Select(d => Path.Combine(d, "go")).FirstOrDefault(File.Exists);

    /// <summary>The Go peer's command line for one driver: its root is the bench root our driver uses, so both see the same trees.</summary>
    public static string[] Arguments(string driver, string benchRoot) => ["--driver", driver, "--root", benchRoot];

    /// <summary>
    /// Builds bench/go-peer into <paramref name="runDir"/>/go-peer; its path, or the reason it
    /// could not be built (logged). Installs golang-go and the source first when they are missing
    /// and the run may install things (not the test command's run: its install step did that).
    /// </summary>
    public static (string? Binary, string? Problem) Build(BenchOptions o, string runDir)
    {
        var goPath = Environment.GetEnvironmentVariable("REGSTORE_BENCH_GOPATH") is { Length: > 0 } custom ? custom : DebianGoPath;
        bool Exists(string p) => File.Exists(p) || Directory.Exists(p);
        if (Missing(FindGo(Environment.GetEnvironmentVariable("PATH")), goPath, Exists) != null && o.StartServices)
        {
            Processes.Run("bash", [Path.Combine(o.Repo, "services", "registry-clients", "install.sh")]);
        }

        var go = FindGo(Environment.GetEnvironmentVariable("PATH"));
        if (Missing(go, goPath, Exists) is { } missing)
        {
            Log.Error($"bench: {missing}");
            return (null, missing);
        }

        var binary = Path.Combine(runDir, "go-peer", "go-peer");
        var sources = Directory.GetFiles(Path.Combine(o.Repo, "bench", "go-peer"), "*.go").Where(f => !f.EndsWith("_test.go", StringComparison.Ordinal)).Order(StringComparer.Ordinal);
        // GOPATH mode: Debian's GOPATH is read-only, so the program is built as a file list.
        // CGO_ENABLED=0: the pure-Go resolver, so no C compiler is needed on a fresh machine.
        var code = Processes.Run(go!, ["build", "-o", binary, .. sources], new Dictionary<string, string>
        {
            ["GO111MODULE"] = "off",
            ["GOPATH"] = goPath,
            ["GOCACHE"] = Path.Combine(o.Artifacts, "go-cache"),
            ["GOFLAGS"] = "",
            ["CGO_ENABLED"] = "0",
        });
        if (code != 0)
        {
            var problem = $"the Go peer did not build (go build exited with {code}; its errors are in the bench log)";
            Log.Error($"bench: {problem}");
            return (null, problem);
        }

        Log.Information($"bench: Go peer built against {goPath}: {binary}");
        return (binary, null);
    }
}
