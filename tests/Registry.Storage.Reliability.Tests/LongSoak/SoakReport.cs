using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Registry.Storage.Reliability.Tests.LongSoak;

/// <summary>
/// Writes a soak's figures to the report folder: <c>&lt;name&gt;.md</c> (the section docs/reliability.md
/// takes), <c>&lt;name&gt;.json</c> (every count and the memory series) and <c>&lt;name&gt;-memory.svg</c>.
/// </summary>
internal static class SoakReport
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static string Write(ISoakTarget target, SoakOptions options, SoakOutcome outcome)
    {
        Directory.CreateDirectory(options.ReportFolder);
        var file = target.Name.Split(' ')[0];
        var counts = outcome.Figures.Counts;
        var memory = outcome.Memory;
        var md = new StringBuilder();
        md.AppendLine(Invariant, $"### {target.Name}: {options.Workers} workers, {options.Duration.TotalMinutes:0.#} min");
        md.AppendLine();
        var restart = outcome.Figures.Restart is { } r ? string.Create(Invariant, $", from {r.From.TotalSeconds:0} s to {r.To.TotalSeconds:0} s.") : ", not reached.";
        md.AppendLine(Invariant, $"Sizes log-uniform {options.MinSize / 1024} KiB – {options.MaxSize >> 20} MiB; restart at {options.RestartAt:P0}: {target.RestartDescription}{restart}");
        md.AppendLine();
        md.AppendLine("| figure | value |");
        md.AppendLine("| --- | --- |");
        foreach (var (what, value) in counts)
        {
            md.AppendLine(Invariant, $"| {what} | {(what.StartsWith("bytes", StringComparison.Ordinal) ? $"{value / (double)(1L << 30):0.00} GiB" : value.ToString("N0", Invariant))} |");
        }

        md.AppendLine(Invariant, $"| corrupted reads | {outcome.Corrupted.Count} |");
        md.AppendLine(Invariant, $"| committed objects lost | {outcome.Lost.Count} |");
        md.AppendLine(Invariant, $"| cancelled or abandoned writes visible | {outcome.VisibleAfterCancel.Count} |");
        md.AppendLine(Invariant, $"| failed writes stored other than whole | {outcome.WrongAfterFailedWrite.Count} |");
        md.AppendLine(Invariant, $"| uploads left on the server | {outcome.Leftovers.Leftovers} (of {outcome.FailedWrites} failed writes whose discard may have failed too, and {outcome.Leftovers.OfCancelledWrites} cancelled writes kept listed because a request's outcome was unknown) |");
        md.AppendLine();
        md.AppendLine(outcome.Figures.Errors.Count == 0 ? "Errors: none." : "Errors by operation and kind:");
        foreach (var (kind, count) in outcome.Figures.Errors)
        {
            md.AppendLine(Invariant, $"- {kind}: {count}");
        }

        foreach (var sample in outcome.Figures.ErrorSamples)
        {
            md.AppendLine(Invariant, $"  - e.g. {sample.Replace("|", "\\|", StringComparison.Ordinal)}");
        }

        md.AppendLine();
        md.AppendLine(Invariant, $"Leftovers: {outcome.Leftovers.Text}.");
        md.AppendLine();
        md.AppendLine(Invariant, $"Memory: {outcome.MemoryVerdict.Text}{(memory.Any(s => s.OtherBytes > 0) ? $"; the registry process's resident set: first quarter median {Median(memory.Take(memory.Count / 4), s => s.OtherBytes)} MiB, last quarter {Median(memory.TakeLast(memory.Count / 4), s => s.OtherBytes)} MiB, peak {memory.Max(s => s.OtherBytes) >> 20} MiB" : "")}. Chart: `{file}-memory.svg`.");
        File.WriteAllText(Path.Combine(options.ReportFolder, file + ".md"), md.ToString());
        File.WriteAllText(Path.Combine(options.ReportFolder, file + "-memory.svg"), Chart(target.Name, memory, outcome.Figures.Restart));
        File.WriteAllText(Path.Combine(options.ReportFolder, file + ".json"), JsonSerializer.Serialize(new
        {
            target = target.Name,
            durationSeconds = options.Duration.TotalSeconds,
            options.Workers,
            counts,
            errors = outcome.Figures.Errors,
            corrupted = outcome.Corrupted,
            lost = outcome.Lost,
            visibleAfterCancel = outcome.VisibleAfterCancel,
            leftovers = outcome.Leftovers.Text,
            memory = memory.Where((_, i) => i % 4 == 0).Select(s => new { seconds = Math.Round(s.At.TotalSeconds, 1), heapMiB = s.HeapBytes >> 20, workingSetMiB = s.WorkingSetBytes >> 20, serverMiB = s.OtherBytes >> 20 }),
        }, Indented));
        return md.ToString();
    }

    private static long Median(IEnumerable<MemorySampler.Sample> samples, Func<MemorySampler.Sample, long> value)
    {
        var sorted = samples.Select(value).Order().ToList();
        return sorted.Count == 0 ? 0 : sorted[sorted.Count / 2] >> 20;
    }

    // One SVG line chart: working set, GC heap and (for the registry) the server's resident set over time, the restart shaded.
    private static string Chart(string title, IReadOnlyList<MemorySampler.Sample> samples, (TimeSpan From, TimeSpan To)? restart)
    {
        const int width = 720, height = 300, left = 60, right = 20, top = 30, bottom = 40;
        var seconds = Math.Max(1, samples.Count == 0 ? 1 : samples[^1].At.TotalSeconds);
        var peak = Math.Max(1, samples.Count == 0 ? 1 : samples.Max(s => Math.Max(s.WorkingSetBytes, Math.Max(s.HeapBytes, s.OtherBytes))) / (double)(1 << 20));
        var mibTop = Math.Ceiling(peak / 100) * 100;
        double X(double t) => left + ((width - left - right) * t / seconds);
        double Y(double mib) => top + ((height - top - bottom) * (1 - (mib / mibTop)));
        string Line(Func<MemorySampler.Sample, long> value, string colour) =>
            $"<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"1.5\" points=\"{string.Join(' ', samples.Where((_, i) => i % 4 == 0).Select(s => string.Create(Invariant, $"{X(s.At.TotalSeconds):0.#},{Y(value(s) / (double)(1 << 20)):0.#}")))}\"/>";
        var svg = new StringBuilder();
        svg.AppendLine(Invariant, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" font-family=\"sans-serif\" font-size=\"11\">");
        svg.AppendLine(Invariant, $"<text x=\"{left}\" y=\"18\" font-size=\"13\">{System.Security.SecurityElement.Escape(title)}: memory during the soak (MiB)</text>");
        if (restart is { } r)
        {
            svg.AppendLine(Invariant, $"<rect x=\"{X(r.From.TotalSeconds):0.#}\" y=\"{top}\" width=\"{Math.Max(2, X(r.To.TotalSeconds) - X(r.From.TotalSeconds)):0.#}\" height=\"{height - top - bottom}\" fill=\"#fde2c8\"/><text x=\"{X(r.From.TotalSeconds) + 3:0.#}\" y=\"{top + 12}\">restart</text>");
        }

        for (var i = 0; i <= 4; i++)
        {
            var mib = mibTop * i / 4;
            svg.AppendLine(Invariant, $"<line x1=\"{left}\" x2=\"{width - right}\" y1=\"{Y(mib):0.#}\" y2=\"{Y(mib):0.#}\" stroke=\"#ddd\"/><text x=\"{left - 6}\" y=\"{Y(mib) + 4:0.#}\" text-anchor=\"end\">{mib:0}</text>");
            var t = seconds * i / 4;
            svg.AppendLine(Invariant, $"<text x=\"{X(t):0.#}\" y=\"{height - bottom + 16}\" text-anchor=\"middle\">{t / 60:0.#} min</text>");
        }

        svg.AppendLine(Line(s => s.WorkingSetBytes, "#1f77b4"));
        svg.AppendLine(Line(s => s.HeapBytes, "#2ca02c"));
        var legend = "<text x=\"{0}\" y=\"{1}\" fill=\"{2}\">{3}</text>";
        svg.AppendLine(string.Format(Invariant, legend, left + 10, height - 8, "#1f77b4", "soak process working set"));
        svg.AppendLine(string.Format(Invariant, legend, left + 190, height - 8, "#2ca02c", "its GC heap"));
        if (samples.Any(s => s.OtherBytes > 0))
        {
            svg.AppendLine(Line(s => s.OtherBytes, "#d62728"));
            svg.AppendLine(string.Format(Invariant, legend, left + 290, height - 8, "#d62728", "registry process resident set"));
        }

        svg.AppendLine("</svg>");
        return svg.ToString();
    }
}
