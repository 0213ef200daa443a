using System.Globalization;
using System.Security;
using System.Text;

namespace Registry.Storage.Bench;

/// <summary>The report's charts: plain SVG, horizontal bars, no script or external reference.</summary>
internal static class Charts
{
    /// <summary>
    /// One driver's ours ÷ peer ratios (a 1.0 line; &gt; 1 = ours better). The axis stops at 4×;
    /// a longer bar is cut and marked, its label gives the real ratio.
    /// </summary>
    public static string Ratios(string driver, IReadOnlyList<BenchRow> rows)
    {
        var bars = rows.Select(r => (r.Workload, r.Ratio)).Where(b => !double.IsNaN(b.Ratio)).ToList();
        const int labelWidth = 420, plotWidth = 320, barHeight = 22, top = 40;
        var max = Math.Min(4.0, Math.Max(2.0, bars.Select(b => b.Ratio).DefaultIfEmpty(1).Max() * 1.1));
        double X(double ratio) => labelWidth + (plotWidth * Math.Min(ratio, max) / max);
        var height = top + (bars.Count * barHeight) + 30;
        var svg = new StringBuilder();
        svg.AppendLine(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{labelWidth + plotWidth + 70}\" height=\"{height}\" font-family=\"sans-serif\" font-size=\"12\">");
        svg.AppendLine($"<text x=\"10\" y=\"20\" font-size=\"14\" font-weight=\"bold\">{driver}: ours ÷ peer (median; &gt; 1 = ours faster / leaner)</text>");
        for (var i = 0; i < bars.Count; i++)
        {
            var y = top + (i * barHeight);
            var colour = bars[i].Ratio >= 1 ? "#2e7d32" : bars[i].Ratio >= 0.8 ? "#f9a825" : "#c62828";
            var cut = bars[i].Ratio > max ? " ▸" : "";
            svg.AppendLine(CultureInfo.InvariantCulture, $"<text x=\"{labelWidth - 6}\" y=\"{y + 15}\" text-anchor=\"end\">{SecurityElement.Escape(bars[i].Workload)}</text>");
            svg.AppendLine(CultureInfo.InvariantCulture, $"<rect x=\"{labelWidth}\" y=\"{y + 3}\" width=\"{X(bars[i].Ratio) - labelWidth:F1}\" height=\"{barHeight - 6}\" fill=\"{colour}\"/>");
            svg.AppendLine(CultureInfo.InvariantCulture, $"<text x=\"{X(bars[i].Ratio) + 4:F1}\" y=\"{y + 15}\">{bars[i].Ratio:F2}×{cut}</text>");
        }

        svg.AppendLine(CultureInfo.InvariantCulture, $"<line x1=\"{X(1):F1}\" y1=\"{top - 4}\" x2=\"{X(1):F1}\" y2=\"{top + (bars.Count * barHeight) + 4}\" stroke=\"black\" stroke-dasharray=\"4,3\"/>");
        svg.AppendLine(CultureInfo.InvariantCulture, $"<text x=\"{X(1):F1}\" y=\"{height - 8}\" text-anchor=\"middle\">1.0× peer</text>");
        svg.AppendLine("</svg>");
        return svg.ToString();
    }

    /// <summary>Grouped bars: per group (a driver), one bar per series (ours / peer / target …), labelled with the value.</summary>
    public static string Grouped(string title, string unit, IReadOnlyList<(string Group, List<(string Series, double Value, string Colour)> Bars)> groups)
    {
        const int labelWidth = 150, plotWidth = 420, barHeight = 16, gap = 10, top = 50;
        var max = groups.SelectMany(g => g.Bars).Select(b => b.Value).Where(v => !double.IsNaN(v)).DefaultIfEmpty(1).Max() * 1.15;
        var height = top + groups.Sum(g => (g.Bars.Count * barHeight) + gap) + 20;
        var svg = new StringBuilder();
        svg.AppendLine(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{labelWidth + plotWidth + 90}\" height=\"{height}\" font-family=\"sans-serif\" font-size=\"12\">");
        svg.AppendLine($"<text x=\"10\" y=\"20\" font-size=\"14\" font-weight=\"bold\">{SecurityElement.Escape(title)}</text>");
        var legend = groups.SelectMany(g => g.Bars).Select(b => (b.Series, b.Colour)).Distinct().ToList();
        for (var i = 0; i < legend.Count; i++)
        {
            svg.AppendLine(CultureInfo.InvariantCulture, $"<rect x=\"{10 + (i * 150)}\" y=\"30\" width=\"10\" height=\"10\" fill=\"{legend[i].Colour}\"/><text x=\"{24 + (i * 150)}\" y=\"39\">{SecurityElement.Escape(legend[i].Series)}</text>");
        }

        var y = top;
        foreach (var (group, bars) in groups)
        {
            svg.AppendLine(CultureInfo.InvariantCulture, $"<text x=\"{labelWidth - 8}\" y=\"{y + (bars.Count * barHeight / 2) + 4}\" text-anchor=\"end\" font-weight=\"bold\">{SecurityElement.Escape(group)}</text>");
            foreach (var (_, value, colour) in bars)
            {
                var width = double.IsNaN(value) ? 0 : plotWidth * value / max;
                svg.AppendLine(CultureInfo.InvariantCulture, $"<rect x=\"{labelWidth}\" y=\"{y + 1}\" width=\"{width:F1}\" height=\"{barHeight - 2}\" fill=\"{colour}\"/>");
                svg.AppendLine(CultureInfo.InvariantCulture, $"<text x=\"{labelWidth + width + 4:F1}\" y=\"{y + barHeight - 4}\">{(double.IsNaN(value) ? "—" : Statistics.Format(value) + " " + unit)}</text>");
                y += barHeight;
            }

            y += gap;
        }

        svg.AppendLine("</svg>");
        return svg.ToString();
    }
}
