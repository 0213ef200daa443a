using System.Diagnostics;
using System.Globalization;

namespace Registry.Storage.Bench;

/// <summary>
/// One process in DriverBench's serve mode for one driver: our side (DriverBench), or the Go peer
/// (bench/go-peer), which speaks the same protocol. Every workload is a line on its stdin; the
/// answer is a RESULT line (key=value ...) or an ERROR line (details on its stderr, which goes to
/// the bench log). A process that died is started again for the next workload.
/// </summary>
internal sealed class DriverBenchProcess : IDisposable
{
    private readonly ProcessStartInfo _info;
    private readonly string _name;
    private Process? _process;

    /// <summary>DriverBench (ours) for the plugin folder <paramref name="plugin"/>.</summary>
    public DriverBenchProcess(string dll, string plugin, string benchRoot, IReadOnlyDictionary<string, string> environment)
        : this("DriverBench", "dotnet", [dll, "--plugin", plugin, "--root", benchRoot, "--workload", "serve"], environment)
    {
    }

    /// <summary>Any program that serves workloads on its stdin (<paramref name="name"/> is for messages).</summary>
    public DriverBenchProcess(string name, string file, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment)
    {
        _name = name;
        _info = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardInput = true, RedirectStandardOutput = true };
        foreach (var a in arguments)
        {
            _info.ArgumentList.Add(a);
        }

        foreach (var (key, value) in environment)
        {
            _info.Environment[key] = value;
        }
    }

    /// <summary>The writer's buffering as configured (DriverBench's READY line), or null before it answered.</summary>
    public MemoryBound? Bound { get; private set; }

    /// <summary>Why the last call returned null.</summary>
    public string? Problem { get; private set; }

    /// <summary>Runs one workload (DriverBench's command line, e.g. <c>--workload read --path /big</c>); null on failure (see <see cref="Problem"/>).</summary>
    public Dictionary<string, double>? Run(string command, TimeSpan timeout)
    {
        if (_process == null || _process.HasExited)
        {
            _process?.Dispose();
            _process = Process.Start(_info) ?? throw new InvalidOperationException($"{_info.FileName} did not start");
            var ready = ReadLine(TimeSpan.FromMinutes(3));
            if (ready == null || !ready.StartsWith("READY", StringComparison.Ordinal))
            {
                Problem = $"{_name} did not start ({ready ?? "no answer"})";
                return null;
            }

            Bound = ParseReady(ready) ?? Bound;
        }

        _process.StandardInput.WriteLine(command);
        _process.StandardInput.Flush();
        while (true)
        {
            var line = ReadLine(timeout);
            if (line == null)
            {
                Problem = $"no answer to '{command}' within {timeout.TotalMinutes:F0} min or the process ended";
                return null;
            }

            if (line.StartsWith("ERROR ", StringComparison.Ordinal))
            {
                Problem = line[6..];
                return null;
            }

            if (line.StartsWith("RESULT ", StringComparison.Ordinal))
            {
                return ParseResult(line);
            }

            Console.WriteLine(line);
        }
    }

    /// <summary>The figures of a <c>RESULT key=value ...</c> line.</summary>
    public static Dictionary<string, double> ParseResult(string line) =>
        line["RESULT ".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .ToDictionary(p => p[0], p => double.Parse(p[1], CultureInfo.InvariantCulture));

    /// <summary>The writer's buffering from <c>READY chunk=N concurrency=M</c>; null without a chunk (the default bound stays).</summary>
    public static MemoryBound? ParseReady(string line)
    {
        var fields = line.Split(' ').Skip(1).Select(f => f.Split('=', 2)).Where(f => f.Length == 2).ToDictionary(f => f[0], f => f[1]);
        return fields.TryGetValue("chunk", out var chunk)
            ? new MemoryBound(long.Parse(chunk, CultureInfo.InvariantCulture), fields.TryGetValue("concurrency", out var concurrency) ? int.Parse(concurrency, CultureInfo.InvariantCulture) : 0)
            : null;
    }

    // A line of the process's stdout, or null when it ended or stayed silent past the timeout (then it is killed).
    private string? ReadLine(TimeSpan timeout)
    {
        var read = _process!.StandardOutput.ReadLineAsync();
        if (read.Wait(timeout))
        {
            return read.Result;
        }

        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
        return null;
    }

    public void Dispose()
    {
        if (_process == null)
        {
            return;
        }

        if (!_process.HasExited)
        {
            _process.StandardInput.Close();
            if (!_process.WaitForExit(60_000))
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        _process.Dispose();
    }
}
