using System.Globalization;
using System.Text;

namespace Registry.Storage;

/// <summary>
/// Durations as distribution's configuration writes them (Go's <c>time.ParseDuration</c>:
/// <c>100ms</c>, <c>1h30m</c>, <c>1.5s</c>; units ns, us, µs, ms, s, m, h), and .NET's
/// <c>hh:mm:ss</c> for people who think in TimeSpans.
/// </summary>
public static class GoDuration
{
    /// <summary>
    /// Writes <paramref name="duration"/> as configuration would and <see cref="TryParse"/> reads it
    /// back: hours, minutes and (fractional) seconds from a second up (<c>1h30m</c>, <c>2.5s</c>),
    /// below that the largest of ms, us and ns that is exact (<c>100ms</c>); <c>0s</c> for zero.
    /// </summary>
    public static string Format(TimeSpan duration)
    {
        if (duration == TimeSpan.Zero)
        {
            return "0s";
        }

        // The magnitude as decimal: TimeSpan.MinValue has no positive counterpart.
        var ticks = Math.Abs((decimal)duration.Ticks);
        var text = new StringBuilder(duration < TimeSpan.Zero ? "-" : "");
        if (ticks < TimeSpan.TicksPerSecond)
        {
            var (unit, perTick) = ticks % TimeSpan.TicksPerMillisecond == 0 ? ("ms", 1m / TimeSpan.TicksPerMillisecond)
                : ticks % TimeSpan.TicksPerMicrosecond == 0 ? ("us", 1m / TimeSpan.TicksPerMicrosecond)
                : ("ns", 100m);
            return text.Append((ticks * perTick).ToString("0", CultureInfo.InvariantCulture)).Append(unit).ToString();
        }

        var hours = decimal.Truncate(ticks / TimeSpan.TicksPerHour);
        var minutes = decimal.Truncate(ticks % TimeSpan.TicksPerHour / TimeSpan.TicksPerMinute);
        var seconds = ticks % TimeSpan.TicksPerMinute / TimeSpan.TicksPerSecond;
        if (hours > 0)
        {
            text.Append(hours.ToString("0", CultureInfo.InvariantCulture)).Append('h');
        }

        if (minutes > 0)
        {
            text.Append(minutes.ToString("0", CultureInfo.InvariantCulture)).Append('m');
        }

        if (seconds > 0)
        {
            text.Append(seconds.ToString("0.#######", CultureInfo.InvariantCulture)).Append('s');
        }

        return text.ToString();
    }

    /// <summary>Parses <paramref name="text"/>; <see langword="false"/> when it is not a duration.</summary>
    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var s = text.Trim();
        if (s == "0")
        {
            return true;
        }

        if (s.Contains(':', StringComparison.Ordinal))
        {
            return TimeSpan.TryParse(s, CultureInfo.InvariantCulture, out duration);
        }

        var negative = s[0] == '-';
        if (s[0] is '-' or '+')
        {
            s = s[1..];
        }

        var totalTicks = 0m;
        var i = 0;
        if (s.Length == 0)
        {
            return false;
        }

        while (i < s.Length)
        {
            var start = i;
            while (i < s.Length && (char.IsAsciiDigit(s[i]) || s[i] == '.'))
            {
                i++;
            }

            if (start == i || !decimal.TryParse(s.AsSpan(start, i - start), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
            {
                return false;
            }

            var unitStart = i;
            while (i < s.Length && !char.IsAsciiDigit(s[i]) && s[i] != '.')
            {
                i++;
            }

            decimal? ticksPerUnit = s[unitStart..i] switch
            {
                "ns" => 0.01m,
                "us" or "µs" or "μs" => 10m,
                "ms" => TimeSpan.TicksPerMillisecond,
                "s" => TimeSpan.TicksPerSecond,
                "m" => TimeSpan.TicksPerMinute,
                "h" => TimeSpan.TicksPerHour,
                _ => null,
            };
            if (ticksPerUnit is null)
            {
                return false;
            }

            totalTicks += number * ticksPerUnit.Value;
            if (totalTicks > TimeSpan.MaxValue.Ticks)
            {
                return false;
            }
        }

        duration = TimeSpan.FromTicks((long)(negative ? -totalTicks : totalTicks));
        return true;
    }
}
