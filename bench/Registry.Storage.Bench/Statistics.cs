using System.Globalization;

namespace Registry.Storage.Bench;

/// <summary>How the report summarises repetitions: the median, the min–max spread and the ratio to the peer.</summary>
internal static class Statistics
{
    /// <summary>The median; NaN for no values.</summary>
    public static double Median(IReadOnlyCollection<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? double.NaN
            : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2]
            : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    /// <summary>Three significant figures or so: 0 decimals from 100, 2 from 1, else 3; "—" for NaN.</summary>
    public static string Format(double value) =>
        double.IsNaN(value) ? "—"
        : value >= 100 ? value.ToString("F0", CultureInfo.InvariantCulture)
        : value >= 1 ? value.ToString("F2", CultureInfo.InvariantCulture)
        : value.ToString("F3", CultureInfo.InvariantCulture);

    /// <summary>" (min–max)" after a median; empty for one value or none.</summary>
    public static string Spread(IReadOnlyCollection<double> values) =>
        values.Count <= 1 ? "" : $" ({Format(values.Min())}–{Format(values.Max())})";

    /// <summary>
    /// Ours against the peer so that &gt; 1 always means ours is better: ours ÷ peer for rates
    /// (<paramref name="higherIsBetter"/>), peer ÷ ours for times and memory; NaN when a side has
    /// no figure or a median is not positive.
    /// </summary>
    public static double Ratio(IReadOnlyCollection<double> ours, IReadOnlyCollection<double> peer, bool higherIsBetter)
    {
        if (ours.Count == 0 || peer.Count == 0)
        {
            return double.NaN;
        }

        var (o, p) = (Median(ours), Median(peer));
        return p <= 0 || o <= 0 ? double.NaN : higherIsBetter ? o / p : p / o;
    }
}
