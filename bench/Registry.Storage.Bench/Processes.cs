using System.Diagnostics;

namespace Registry.Storage.Bench;

/// <summary>Child processes: output inherited (it is the bench log), or captured for a figure.</summary>
internal static class Processes
{
    /// <summary>Runs <paramref name="file"/> with its output on ours; returns the exit code.</summary>
    public static int Run(string file, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        using var process = Process.Start(Info(file, arguments, environment)) ?? throw new InvalidOperationException($"{file} did not start");
        process.WaitForExit();
        return process.ExitCode;
    }

    /// <summary>Runs <paramref name="file"/> and returns its exit code and standard output (its stderr goes to ours).</summary>
    public static (int ExitCode, string Output) Capture(string file, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = Info(file, arguments, environment);
        info.RedirectStandardOutput = true;
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{file} did not start");
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output);
    }

    /// <summary>A bash command line's trimmed output, for the report's machine section ("" when it fails; its stderr is dropped).</summary>
    public static string Shell(string command)
    {
        var info = Info("bash", ["-c", command], null);
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        using var process = Process.Start(info) ?? throw new InvalidOperationException("bash did not start");
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        _ = error.Result;
        return output;
    }

    private static ProcessStartInfo Info(string file, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment)
    {
        var info = new ProcessStartInfo(file) { UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        return info;
    }
}
