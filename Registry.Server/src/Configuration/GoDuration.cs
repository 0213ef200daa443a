using System.Globalization;
using System.Text.RegularExpressions;

namespace Registry.Server.Configuration;

/// <summary>Go's <c>time.ParseDuration</c> syntax as distribution's config uses it (<c>168h</c>, <c>1h30m</c>, <c>500ms</c>).</summary>
internal static partial class GoDuration
{
    public static TimeSpan Parse(string text, string key)
    {
        var trimmed = text.Trim();
        if (trimmed == "0")
        {
            return TimeSpan.Zero;
        }

        var matches = Part().Matches(trimmed);
        if (matches.Count == 0 || string.Concat(matches.Select(m => m.Value)) != trimmed)
        {
            throw new FormatException($"{key}: '{text}' is not a duration such as 168h, 10m or 1h30m");
        }

        var total = TimeSpan.Zero;
        foreach (Match m in matches)
        {
            var value = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            total += m.Groups[2].Value switch
            {
                "ns" => TimeSpan.FromTicks((long)(value / 100)),
                "us" or "µs" => TimeSpan.FromMicroseconds(value),
                "ms" => TimeSpan.FromMilliseconds(value),
                "s" => TimeSpan.FromSeconds(value),
                "m" => TimeSpan.FromMinutes(value),
                _ => TimeSpan.FromHours(value),
            };
        }

        return total;
    }

    [GeneratedRegex(@"(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Part();
}
