using System.Globalization;
using System.Text.RegularExpressions;

namespace Registry.Storage.Bench;

/// <summary>Runs the peer's side of a workload and measures it the way the report describes.</summary>
internal static partial class PeerRunner
{
    /// <summary>
    /// Runs a peer script: wall seconds from bash's <c>$EPOCHREALTIME</c> around it (µs resolution,
    /// the peer's process start-up included, bash's not) and peak RSS of its biggest process from
    /// GNU time; null on failure (reported on stderr).
    /// </summary>
    public static (double Seconds, long Peak)? Script(string runDir, string driver, IReadOnlyDictionary<string, string> environment, string script)
    {
        var timeFile = Path.Combine(runDir, "peer-time.txt");
        var wallFile = Path.Combine(runDir, "peer-wall.txt");
        var scriptFile = Path.Combine(runDir, "peer.sh");
        File.WriteAllText(scriptFile, $"set -euo pipefail\n__start=$EPOCHREALTIME\n{script}\n__end=$EPOCHREALTIME\necho \"$__start $__end\" > '{wallFile}'\n");
        var code = Processes.Run("/usr/bin/time", ["-f", "%e %M", "-o", timeFile, "bash", scriptFile], environment);
        if (code != 0)
        {
            Log.Error($"bench {driver}: peer failed (exit {code}): {script}");
            return null;
        }

        return (WallSeconds(File.ReadAllText(wallFile)), PeakBytes(File.ReadAllLines(timeFile)));
    }

    /// <summary>The seconds between the two <c>$EPOCHREALTIME</c> stamps of a line (a locale may print a decimal comma).</summary>
    public static double WallSeconds(string stamps)
    {
        var wall = stamps.Trim().Replace(',', '.').Split(' ').Select(t => double.Parse(t, CultureInfo.InvariantCulture)).ToArray();
        return wall[1] - wall[0];
    }

    /// <summary>GNU time's <c>%e %M</c> (its last line; a failing command adds one before it): the peak RSS in bytes.</summary>
    public static long PeakBytes(IReadOnlyList<string> timeLines) =>
        long.Parse(timeLines[^1].Split(' ')[1], CultureInfo.InvariantCulture) * 1024;

    /// <summary>
    /// The plain Azure.Storage.Blobs upload and download of plugins/Azure/bench (same block size and
    /// concurrency as the driver), timed inside its process; memory = its sampled peak during the upload.
    /// </summary>
    public static (double Up, double Down, long Peak)? AzureSdk(string runDir, long size, IReadOnlyDictionary<string, string> environment)
    {
        var (code, output) = Processes.Capture("dotnet", [Path.Combine(runDir, "azure-peer", "Registry.Storage.Drivers.Azure.Bench.dll"), size.ToString(CultureInfo.InvariantCulture), "1", "sdk-upload,sdk-download"], environment);
        return code == 0 ? ParseAzureSdk(output.Split('\n')) : null;
    }

    /// <summary>The seconds of the SDK's upload and download and the upload's peak, from the Azure peer's phase lines.</summary>
    public static (double Up, double Down, long Peak) ParseAzureSdk(IReadOnlyList<string> lines)
    {
        Match Phase(string phase) => PhaseLine().Match(lines.First(l => l.StartsWith(phase, StringComparison.Ordinal))[40..]);
        var up = Phase("sdk upload");
        var down = Phase("sdk download");
        return (double.Parse(up.Groups[1].Value, CultureInfo.InvariantCulture), double.Parse(down.Groups[1].Value, CultureInfo.InvariantCulture), long.Parse(up.Groups[2].Value, CultureInfo.InvariantCulture) << 20);
    }

    // After the 40-character phase name: "   12.34 s    83.0 MiB/s  peak 129 MiB (+64 MiB)".
    [GeneratedRegex(@"^\s*([0-9.]+) s.*peak (\d+) MiB")]
    private static partial Regex PhaseLine();
}
