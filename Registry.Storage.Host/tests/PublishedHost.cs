#pragma warning disable CA1416 // Linux only: the callers are [Platform(Include = "Linux")]
using System.Diagnostics;
using System.Text;

namespace Registry.Storage.Host.Tests;

/// <summary>What one run of the published <c>regstore</c> did.</summary>
internal sealed record RegstoreRun(int ExitCode, string Stdout, string Stderr, TimeSpan Elapsed, byte[] Raw)
{
    public void Deconstruct(out int exitCode, out string stdout, out string stderr, out TimeSpan elapsed, out byte[] raw) =>
        (exitCode, stdout, stderr, elapsed, raw) = (ExitCode, Stdout, Stderr, Elapsed, Raw);
}

/// <summary>
/// A scratch copy of the published host (<c>artifacts/regstore</c> with its seven bundled plugins, and
/// optionally <c>artifacts/regstore-conformance</c> beside it), run as a user runs it: the apphost, its
/// default plugins folder, a working directory of its own.
/// </summary>
internal sealed class PublishedHost : IDisposable
{
    private PublishedHost(string work)
    {
        Work = work;
        Folder = Path.Combine(work, "host");
    }

    /// <summary>The scratch folder (the working directory of every run).</summary>
    public string Work { get; }

    /// <summary>The copied host folder.</summary>
    public string Folder { get; }

    /// <summary>The host's default plugins folder.</summary>
    public string Plugins => Path.Combine(Folder, "plugins");

    /// <summary>Copies the published host into a fresh scratch folder; with <paramref name="withRunner"/>, the conformance runner beside it.</summary>
    public static PublishedHost Create(string purpose, bool withRunner = false)
    {
        var artifacts = FindArtifacts();
        var host = new PublishedHost(Directory.CreateTempSubdirectory($"regstore-{purpose}-").FullName);
        CopyDirectory(Path.Combine(artifacts, "regstore"), host.Folder);
        if (withRunner)
        {
            CopyDirectory(Path.Combine(artifacts, "regstore-conformance"), Path.Combine(host.Work, "regstore-conformance"));
        }

        return host;
    }

    /// <summary>Writes <paramref name="text"/> to <c>&lt;name&gt;.yaml</c> in the scratch folder and returns its path.</summary>
    public string WriteConfig(string name, string text)
    {
        var path = ConfigPath(name);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>The path of the scratch config <c>&lt;name&gt;.yaml</c>.</summary>
    public string ConfigPath(string name) => Path.Combine(Work, name + ".yaml");

    /// <summary>Runs regstore with an empty stdin; a run past four minutes is killed and fails the test.</summary>
    public Task<RegstoreRun> RunAsync(params string[] args) => RunAsync(args, environment: null);

    /// <summary>Runs regstore with an empty stdin and extra environment variables.</summary>
    public Task<RegstoreRun> RunAsync(string[] args, IReadOnlyDictionary<string, string>? environment) =>
        RunAsync(Path.Combine(Folder, "regstore"), args, environment);

    /// <summary>
    /// Runs a shell command line (with <c>$REGSTORE</c> naming the host) on a pseudo-terminal through
    /// util-linux's <c>script</c>, for what regstore draws only on a terminal; Stdout holds the terminal's text.
    /// </summary>
    public Task<RegstoreRun> RunOnTerminalAsync(string commandLine) =>
        RunAsync("script", ["-qec", commandLine, "/dev/null"], new Dictionary<string, string> { ["REGSTORE"] = Path.Combine(Folder, "regstore") });

    private async Task<RegstoreRun> RunAsync(string program, string[] args, IReadOnlyDictionary<string, string>? environment)
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = Work,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(info)!;
        process.StandardInput.Close();
        using var stdout = new MemoryStream();
        var copy = process.StandardOutput.BaseStream.CopyToAsync(stdout);
        var stderr = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        await copy;
        var raw = stdout.ToArray();
        return new RegstoreRun(process.ExitCode, Encoding.UTF8.GetString(raw), await stderr, clock.Elapsed, raw);
    }

    public void Dispose() => Directory.Delete(Work, recursive: true);

    /// <summary>Copies a folder keeping each file's Unix mode (plugin trust checks modes).</summary>
    public static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
            File.SetUnixFileMode(target, File.GetUnixFileMode(file));
        }
    }

    private static string FindArtifacts()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "artifacts");
            if (File.Exists(Path.Combine(candidate, "regstore", "regstore.dll")) && File.Exists(Path.Combine(candidate, "regstore", "bundled-plugins.txt")))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("the published host (artifacts/regstore with bundled-plugins.txt) is missing: run ./build.sh publish first");
    }
}
