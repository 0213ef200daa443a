using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using NUnit.Framework.Api;
using NUnit.Framework.Interfaces;
using NUnit.Framework.Internal;

namespace Registry.Storage.Conformance.Runner;

/// <summary>Counts of one run.</summary>
/// <param name="Passed">Tests that passed.</param>
/// <param name="Failed">Tests that failed or errored.</param>
/// <param name="Skipped">Tests ignored or inconclusive (with their reasons printed).</param>
public sealed record ConformanceSummary(int Passed, int Failed, int Skipped)
{
    /// <summary>The closing line: <c>N passed, N failed, N skipped</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Passed} passed, {Failed} failed, {Skipped} skipped");
}

/// <summary>Runs the conformance suite in-process with NUnit's own engine and reports each test.</summary>
public static class ConformanceRunner
{
    /// <summary>Runs the suite against the drivers <paramref name="createDriver"/> makes.</summary>
    /// <param name="createDriver">Creates a driver rooted at an isolated location named by its argument.</param>
    /// <param name="filter">A regular expression matched against test names (<c>Walk|Move</c>), or null for all.</param>
    /// <param name="junitPath">Where to write a JUnit XML report, or null.</param>
    /// <param name="output">Where progress goes (NUnit captures Console while tests run, so pass the real stream).</param>
    /// <param name="options">Suite options, or null for the environment's.</param>
    /// <param name="json">Report each test as a JSON line instead of text.</param>
    public static ConformanceSummary Run(
        Func<string, CancellationToken, ValueTask<IStorageDriver>> createDriver,
        string? filter,
        string? junitPath,
        TextWriter output,
        ConformanceOptions? options = null,
        bool json = false)
    {
        ArgumentNullException.ThrowIfNull(output);
        PluginConformance.DriverSource = createDriver;
        PluginConformance.RunOptions = options ?? ConformanceOptions.FromEnvironment();
        try
        {
            var runner = new NUnitTestAssemblyRunner(new DefaultTestAssemblyBuilder());
            runner.Load(typeof(PluginConformance).Assembly, new Dictionary<string, object>());
            var listener = new ReportingListener(output, json);
            var result = runner.Run(listener, filter is null ? TestFilter.Empty : new NameFilter(new Regex(filter, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)));
            var cases = Leaves(result).ToArray();
            if (junitPath is not null)
            {
                WriteJUnit(cases, junitPath);
            }

            // A failure in fixture setup marks the fixture failed with no test cases run: count it.
            var setupFailures = result.ResultState.Status == TestStatus.Failed && cases.Length == 0 ? 1 : 0;
            if (setupFailures > 0)
            {
                listener.Report("(fixture)", TestStatus.Failed, result.Duration, result.Message);
            }

            return new ConformanceSummary(
                cases.Count(c => c.ResultState.Status == TestStatus.Passed),
                cases.Count(c => c.ResultState.Status == TestStatus.Failed) + setupFailures,
                cases.Count(c => c.ResultState.Status is TestStatus.Skipped or TestStatus.Inconclusive));
        }
        finally
        {
            PluginConformance.DriverSource = null;
        }
    }

    private static IEnumerable<ITestResult> Leaves(ITestResult result) =>
        result.HasChildren ? result.Children.SelectMany(Leaves) : result.Test.IsSuite ? [] : [result];

    private static void WriteJUnit(ITestResult[] cases, string path)
    {
        var suite = new XElement("testsuite",
            new XAttribute("name", "Registry.Storage.Conformance"),
            new XAttribute("tests", cases.Length),
            new XAttribute("failures", cases.Count(c => c.ResultState.Status == TestStatus.Failed)),
            new XAttribute("skipped", cases.Count(c => c.ResultState.Status is TestStatus.Skipped or TestStatus.Inconclusive)),
            cases.Select(c => new XElement("testcase",
                new XAttribute("classname", c.Test.ClassName ?? "conformance"),
                new XAttribute("name", c.Test.Name),
                new XAttribute("time", c.Duration.ToString("0.000", CultureInfo.InvariantCulture)),
                c.ResultState.Status switch
                {
                    TestStatus.Failed => new XElement("failure", new XAttribute("message", c.Message ?? ""), c.StackTrace ?? ""),
                    TestStatus.Skipped or TestStatus.Inconclusive => new XElement("skipped", new XAttribute("message", c.Message ?? "")),
                    _ => null,
                })));
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        new XDocument(new XElement("testsuites", suite)).Save(path);
    }

    private sealed class NameFilter(Regex pattern) : TestFilter
    {
        // Only test cases match: a matching suite would admit every test below it.
        public override bool Match(ITest test) => !test.IsSuite && (pattern.IsMatch(test.Name) || pattern.IsMatch(test.FullName));

        public override TNode AddToXml(TNode parentNode, bool recursive) => parentNode.AddElement("regex", pattern.ToString());
    }

    private sealed class ReportingListener(TextWriter output, bool json) : ITestListener
    {
        public void TestStarted(ITest test)
        {
        }

        public void TestFinished(ITestResult result)
        {
            if (result.Test.IsSuite)
            {
                return;
            }

            Report(result.Test.Name, result.ResultState.Status, result.Duration, result.Message);
        }

        public void Report(string name, TestStatus outcome, double seconds, string? message)
        {
            lock (output)
            {
                if (json)
                {
                    RunnerOutput.Record(output, new
                    {
                        type = "test",
                        name,
                        outcome = outcome switch { TestStatus.Passed => "passed", TestStatus.Failed => "failed", _ => "skipped" },
                        seconds = Math.Round(seconds, 3),
                        message = outcome == TestStatus.Passed || string.IsNullOrWhiteSpace(message) ? null : message.Trim(),
                    });
                }
                else
                {
                    var status = outcome switch { TestStatus.Passed => "PASS", TestStatus.Failed => "FAIL", _ => "SKIP" };
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{status}  {name} ({seconds:0.00} s)"));
                    if (outcome != TestStatus.Passed && !string.IsNullOrWhiteSpace(message))
                    {
                        foreach (var line in message.Trim().Split('\n').Take(12))
                        {
                            output.WriteLine("      " + line.TrimEnd());
                        }
                    }
                }

                output.Flush();
            }
        }

        public void TestOutput(TestOutput output)
        {
        }

        public void SendMessage(TestMessage message)
        {
        }
    }
}
