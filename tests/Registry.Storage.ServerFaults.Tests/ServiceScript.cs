using System.Diagnostics;

namespace Registry.Storage.ServerFaults.Tests;

/// <summary>Runs the scripts under <c>services/</c> (start, stop, kill and restart real servers), bounded.</summary>
internal static class ServiceScript
{
    /// <summary>
    /// Runs <c>services/<paramref name="script"/></c> with <paramref name="arguments"/> and, on top of the
    /// inherited environment, <paramref name="environment"/>; returns its standard output, trimmed.
    /// </summary>
    /// <exception cref="InvalidOperationException">The script failed or did not finish within <paramref name="timeout"/>; the message holds its output.</exception>
    public static async Task<string> RunAsync(string script, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment, TimeSpan timeout)
    {
        var path = Path.Combine(Repository, "services", script);
        var start = new ProcessStartInfo("bash", [path, .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var command = string.Join(' ', start.ArgumentList.Skip(1).Prepend(script));
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not run {path}");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var bound = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(bound.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{command} did not finish in {timeout.TotalSeconds:0} s");
        }

        var (stdout, stderr) = ((await output).Trim(), (await error).Trim());
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{command} failed with exit code {process.ExitCode}: {stdout} {stderr}".Trim());
        }

        TestContext.Progress.WriteLine($"  {command}: {(stdout + " " + stderr).Trim()}");
        return stdout;
    }

    /// <summary>The repository: the first folder above the test assembly that holds Registry.Storage.sln.</summary>
    public static string Repository => RepositoryRoot.Value;

    private static readonly Lazy<string> RepositoryRoot = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Registry.Storage.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no Registry.Storage.sln above {AppContext.BaseDirectory}");
    });
}
