using System.Globalization;

namespace Registry.Storage.DriverBench;

/// <summary>
/// One workload's arguments; see <see cref="Usage"/>. In serve mode the process arguments give the
/// defaults (plugin, root, parameters) and every stdin line is parsed on top of them.
/// </summary>
internal sealed record BenchArguments(
    string Plugin,
    string Root,
    string Workload,
    string Path,
    string Destination,
    long Size,
    int Count,
    int Concurrency,
    int TimeoutMinutes,
    IReadOnlyList<KeyValuePair<string, string>> Parameters,
    IReadOnlyList<KeyValuePair<string, string>> Settings)
{
    public const string Usage =
        "usage: driverbench --plugin DIR --root ROOTDIRECTORY --workload serve|write|read|move|putget|populate|populate-flat|list|walk|delete\n" +
        "       [--path /p] [--dst /q] [--size 1GiB] [--count N] [--concurrency 32] [--timeout-minutes 30] [-p key=value ...]\n" +
        "       [--set section:key=value ...]   (configuration beyond the driver's parameters, e.g. middleware:storage:0:name=retry)\n" +
        "       serve: one workload per stdin line (\"--workload write --path /big --size 1GiB\"), one RESULT or ERROR line each";

    public static BenchArguments? Parse(IReadOnlyList<string> args)
    {
        var named = new Dictionary<string, string>(StringComparer.Ordinal);
        var parameters = new List<KeyValuePair<string, string>>();
        var settings = new List<KeyValuePair<string, string>>();
        return Collect(args, named, parameters, settings) ? Build(named, parameters, settings) : null;
    }

    /// <summary>A serve-mode command line: its options override this process's (plugin, root and settings stay).</summary>
    public BenchArguments? With(string line)
    {
        var named = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["plugin"] = Plugin,
            ["root"] = Root,
            ["timeout-minutes"] = TimeoutMinutes.ToString(CultureInfo.InvariantCulture),
        };
        var parameters = new List<KeyValuePair<string, string>>(Parameters);
        var settings = new List<KeyValuePair<string, string>>(Settings);
        var tokens = line.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        // The driver was created once for this process: a line cannot name another plugin, root or configuration.
        if (tokens.Contains("--plugin") || tokens.Contains("--root") || tokens.Contains("--set"))
        {
            return null;
        }

        return Collect(tokens, named, parameters, settings) ? Build(named, parameters, settings) : null;
    }

    private static bool Collect(IReadOnlyList<string> args, Dictionary<string, string> named, List<KeyValuePair<string, string>> parameters, List<KeyValuePair<string, string>> settings)
    {
        if (args.Count % 2 != 0)
        {
            return false;
        }

        for (var i = 0; i + 1 < args.Count; i += 2)
        {
            if (args[i] is "-p" or "--set")
            {
                var eq = args[i + 1].IndexOf('=', StringComparison.Ordinal);
                if (eq <= 0)
                {
                    return false;
                }

                (args[i] == "-p" ? parameters : settings).Add(new(args[i + 1][..eq], args[i + 1][(eq + 1)..]));
            }
            else if (args[i].StartsWith("--", StringComparison.Ordinal))
            {
                named[args[i][2..]] = args[i + 1];
            }
            else
            {
                return false;
            }
        }

        return true;
    }

    private static BenchArguments? Build(Dictionary<string, string> named, List<KeyValuePair<string, string>> parameters, List<KeyValuePair<string, string>> settings)
    {
        if (!named.TryGetValue("plugin", out var plugin) || !named.TryGetValue("root", out var root) || !named.TryGetValue("workload", out var workload))
        {
            return null;
        }

        long size = 0;
        if (named.TryGetValue("size", out var sizeText) && !ByteSize.TryParse(sizeText, out size))
        {
            return null;
        }

        if (!TryInt(named, "count", 1, out var count) || !TryInt(named, "concurrency", 32, out var concurrency) || !TryInt(named, "timeout-minutes", 30, out var timeout))
        {
            return null;
        }

        return new BenchArguments(
            plugin,
            root,
            workload,
            named.GetValueOrDefault("path", "/bench"),
            named.GetValueOrDefault("dst", "/bench-moved"),
            size,
            count,
            concurrency,
            timeout,
            parameters,
            settings);
    }

    private static bool TryInt(Dictionary<string, string> named, string key, int fallback, out int value)
    {
        value = fallback;
        return !named.TryGetValue(key, out var text) || int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value);
    }
}
