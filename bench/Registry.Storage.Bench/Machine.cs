using System.Text.RegularExpressions;

namespace Registry.Storage.Bench;

/// <summary>What the report says about the machine and the software the run measured against.</summary>
internal static partial class Machine
{
    /// <summary>/proc/loadavg's three averages.</summary>
    public static string LoadAverage() => Processes.Shell("cut -d' ' -f1-3 /proc/loadavg");

    /// <summary>The report's machine lines: date, mode, CPU, memory, disk, versions, load.</summary>
    public static string Section(BenchOptions o) => string.Join("\n", new[]
    {
        $"- date (UTC): {DateTime.UtcNow:yyyy-MM-dd HH:mm}; mode: {(o.Quick ? "quick" : "full")}; repetitions: {o.Reps} (Delete: {o.DeleteReps}); big size {o.Big}",
        $"- CPU: {Processes.Shell("nproc")} cores ({Processes.Shell("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2").Trim()}); memory: {Processes.Shell("free -h | awk '/Mem:/{print $2}'")}",
        $"- disk under the services dir: {Processes.Shell($"df -h --output=fstype,size,avail '{o.ServicesDir}' | tail -1")}",
        $"- kernel: {Processes.Shell("uname -r")}; .NET SDK {Processes.Shell("dotnet --version")}; {Processes.Shell("rclone version | head -1")}; {Processes.Shell("ceph --version 2>/dev/null | cut -d'(' -f1")}; swift {Processes.Shell("/usr/bin/python3 -c 'import swift; print(swift.__version__)' 2>/dev/null")}; Azurite {AzuriteVersion(o)}",
        o.Drivers.Any(GoPeer.Drivers.Contains) ? $"- Go peer: {Processes.Shell("go version")}; {Package("golang-github-docker-distribution-dev")}, {Package("golang-github-aws-aws-sdk-go-dev")}, {Package("golang-github-ncw-swift-dev")}" : "",
        $"- load average at the start of the run: {LoadAverage()} (everything running on the machine, the benchmark included)",
    }.Where(line => line.Length > 0));

    // A Debian package and its installed version ("?" when it is not installed).
    private static string Package(string name) => $"{name} {Processes.Shell($"dpkg-query -W -f='${{Version}}' {name} 2>/dev/null || echo '?'")}";

    // From the package.json that services/azurite/install.sh installed (no process start needed).
    private static string AzuriteVersion(BenchOptions o)
    {
        var package = Path.Combine(Environment.GetEnvironmentVariable("REGSTORE_TOOLS_DIR") ?? Path.Combine(o.Repo, ".tools"), "azurite", "node_modules", "azurite", "package.json");
        var m = File.Exists(package) ? VersionField().Match(File.ReadAllText(package)) : null;
        return m?.Success == true ? m.Groups[1].Value : "?";
    }

    [GeneratedRegex("\"version\":\\s*\"([^\"]+)\"")]
    private static partial Regex VersionField();
}
