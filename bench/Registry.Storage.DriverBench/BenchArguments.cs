using System.Globalization;

namespace Registry.Storage.DriverBench;

/// <summary>The command line of one workload run; see <see cref="Usage"/>.</summary>
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
    IReadOnlyList<KeyValuePair<string, string>> Parameters)
{
    public const string Usage =
        "usage: driverbench --plugin DIR --root ROOTDIRECTORY --workload write|read|move|putget|populate|list|walk|delete\n" +
        "       [--path /p] [--dst /q] [--size 1GiB] [--count N] [--concurrency 32] [--timeout-minutes 30] [-p key=value ...]";

    public static BenchArguments? Parse(IReadOnlyList<string> args)
    {
        var named = new Dictionary<string, string>(StringComparer.Ordinal);
        var parameters = new List<KeyValuePair<string, string>>();
        for (var i = 0; i + 1 < args.Count; i += 2)
        {
            if (args[i] == "-p")
            {
                var eq = args[i + 1].IndexOf('=', StringComparison.Ordinal);
                if (eq <= 0)
                {
                    return null;
                }

                parameters.Add(new(args[i + 1][..eq], args[i + 1][(eq + 1)..]));
            }
            else if (args[i].StartsWith("--", StringComparison.Ordinal))
            {
                named[args[i][2..]] = args[i + 1];
            }
            else
            {
                return null;
            }
        }

        if (!named.TryGetValue("plugin", out var plugin) || !named.TryGetValue("root", out var root) || !named.TryGetValue("workload", out var workload))
        {
            return null;
        }

        long size = 0;
        if (named.TryGetValue("size", out var sizeText) && !ByteSize.TryParse(sizeText, out size))
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
            Int(named, "count", 1),
            Int(named, "concurrency", 32),
            Int(named, "timeout-minutes", 30),
            parameters);
    }

    private static int Int(Dictionary<string, string> named, string key, int fallback) =>
        named.TryGetValue(key, out var text) ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;
}
