using System.Diagnostics;
using System.Text;

namespace Registry.Server.Tests.Clients;

/// <summary>
/// Real registry clients and servers (skopeo, docker-registry) found on PATH. Missing tools
/// skip the test on a developer machine and fail it under <c>CI=true</c>, where
/// <c>services/registry-clients/install.sh</c> must have installed them.
/// </summary>
internal static class ExternalTool
{
    public static string Require(string name)
    {
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        var message = $"{name} is not installed (run services/registry-clients/install.sh)";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail(message);
        }

        Assert.Ignore(message);
        return name;
    }

    /// <summary>Runs the tool to completion (without the environment variables in <paramref name="unset"/>) and returns its exit code and combined output.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string tool, IEnumerable<string> arguments, TimeSpan? timeout = null, IEnumerable<string>? unset = null)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var variable in unset ?? [])
        {
            start.Environment.Remove(variable);
        }

        using var process = Process.Start(start)!;
        var output = new StringBuilder();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{tool} {string.Join(' ', start.ArgumentList)} did not finish");
        }

        output.Append(await stdout).Append(await stderr);
        return (process.ExitCode, output.ToString());
    }

    /// <summary>Runs the tool and asserts it succeeded.</summary>
    public static async Task<string> RunOkAsync(string tool, params string[] arguments)
    {
        var (code, output) = await RunAsync(tool, arguments);
        code.ShouldBe(0, $"{Path.GetFileName(tool)} {string.Join(' ', arguments.Where(a => !a.Contains(':', StringComparison.Ordinal) || !a.Contains("secret", StringComparison.Ordinal)))}\n{output}");
        return output;
    }
}
