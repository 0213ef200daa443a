using System.CommandLine;
using System.Diagnostics;

namespace Registry.Storage.Host.Cli;

/// <summary>
/// <c>regstore conformance</c> and <c>regstore bench</c>: the suite lives in its own program,
/// <c>regstore-conformance</c>, so the host's folder carries no test framework. These commands
/// run it with the same arguments and return its exit code.
/// </summary>
internal static class RunnerDelegation
{
    /// <summary>Environment variable naming the runner executable, overriding the search.</summary>
    public const string RunnerVariable = "REGSTORE_CONFORMANCE_RUNNER";

    public static Command Create(string name, string description)
    {
        var command = new Command(name, description) { TreatUnmatchedTokensAsErrors = false };
        command.SetAction(async (_, ct) =>
        {
            if (FindRunner() is not { } runner)
            {
                await Console.Error.WriteLineAsync($"regstore: {name} needs regstore-conformance, which is not installed: publish it beside the host (./build.sh publish puts it in artifacts/regstore-conformance/), install the regstore-conformance tool, or set {RunnerVariable}").ConfigureAwait(false);
                return RegstoreCli.ExitUsage;
            }

            // Descriptor 1 of this process points at stderr (Output.ClaimStandardOutput): the runner's
            // stdout is piped to the command's real stdout instead.
            var info = new ProcessStartInfo(runner) { UseShellExecute = false, RedirectStandardOutput = true };
            foreach (var token in Environment.GetCommandLineArgs().Skip(1))
            {
                // Exactly as typed, global options before the command included (-o json), which the runner honours.
                info.ArgumentList.Add(token);
            }

            using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {runner}");
            var pump = process.StandardOutput.BaseStream.CopyToAsync(Output.StdoutStream, CancellationToken.None);
            try
            {
                await process.WaitForExitAsync(ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Ctrl-C reached the child too (same process group); give it the grace period to finish its report.
                using var grace = new CancellationTokenSource(RegstoreCli.TerminationGrace);
                await process.WaitForExitAsync(grace.Token).ConfigureAwait(false);
            }

            await pump.ConfigureAwait(false);
            await Output.StdoutStream.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            return process.ExitCode;
        });
        return command;
    }

    private static string? FindRunner()
    {
        if (Environment.GetEnvironmentVariable(RunnerVariable) is { Length: > 0 } configured)
        {
            return configured;
        }

        var beside = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "regstore-conformance", "regstore-conformance"));
        if (File.Exists(beside))
        {
            return beside;
        }

        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        return path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, "regstore-conformance"))
            .FirstOrDefault(File.Exists);
    }
}
