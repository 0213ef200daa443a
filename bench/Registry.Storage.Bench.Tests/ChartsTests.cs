using System.Xml.Linq;

namespace Registry.Storage.Bench.Tests;

public class ChartsTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    private static BenchRow Row(string workload, double ours, double peer, bool higher = true) =>
        new() { Workload = workload, Unit = "MiB/s", HigherIsBetter = higher, Ours = [ours], Peer = [peer] };

    [Test]
    public void Every_chart_of_a_report_is_well_formed_svg()
    {
        var set = BenchResultSet.FromJson(File.ReadAllText(Path.Combine(TestContext.CurrentContext.TestDirectory, "Golden", "results.json")));

        var (_, charts) = Report.Render(set);

        charts.Select(c => c.File).ShouldBe(["filesystem.svg", "rados.svg", "azure.svg", "s3.svg", "swift.svg", "streams.svg", "memory.svg"]);
        foreach (var (file, svg) in charts)
        {
            var root = XDocument.Parse(svg).Root!;
            root.Name.ShouldBe(Svg + "svg", file);
            double.Parse(root.Attribute("height")!.Value).ShouldBeGreaterThan(0, file);
            root.Descendants(Svg + "rect").ShouldNotBeEmpty(file);
        }
    }

    [Test]
    public void Ratio_chart_escapes_labels_cuts_long_bars_and_leaves_out_rows_without_a_ratio()
    {
        var svg = Charts.Ratios("s3", [Row("List <1000> & more", 10, 1), Row("slow", 1, 2), Row("no peer", 5, double.NaN)]);

        var doc = XDocument.Parse(svg);
        doc.Root!.Elements(Svg + "rect").Count().ShouldBe(2);
        var texts = doc.Root.Elements(Svg + "text").Select(t => t.Value).ToList();
        texts.ShouldContain("List <1000> & more");
        texts.ShouldContain("10.00× ▸"); // past the 4× axis: cut, marked, real value
        texts.ShouldContain("0.50×");
        doc.Root.Elements(Svg + "rect").Select(r => r.Attribute("fill")!.Value).ShouldBe(["#2e7d32", "#c62828"]);
    }

    [Test]
    public void Grouped_chart_labels_missing_values_and_draws_an_empty_bar()
    {
        var svg = Charts.Grouped("rates & <memory>", "MiB/s", [("s3", [("ours", 100.0, "#111111"), ("peer", double.NaN, "#222222")])]);

        var doc = XDocument.Parse(svg);
        doc.Root!.Elements(Svg + "text").First().Value.ShouldBe("rates & <memory>");
        var bars = doc.Root.Elements(Svg + "rect").Where(r => r.Attribute("y")!.Value != "30").ToList();
        bars.Select(r => r.Attribute("width")!.Value).ShouldBe(["365.2", "0.0"]);
        doc.Root.Elements(Svg + "text").Select(t => t.Value).ShouldContain("—");
        doc.Root.Elements(Svg + "text").Select(t => t.Value).ShouldContain("100 MiB/s");
    }
}
