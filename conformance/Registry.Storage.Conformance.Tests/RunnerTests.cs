using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Registry.Storage.Conformance.Tests;

/// <summary>
/// The conformance runner as a user runs it: <c>regstore-conformance</c> as a process, the
/// inmemory plugin loaded from its folder as production loads plugins.
/// </summary>
public class RunnerTests
{
    private static string RunnerDll => Path.Combine(AppContext.BaseDirectory, "regstore-conformance", "regstore-conformance.dll");

    private static string InMemoryPluginFolder => Path.Combine(AppContext.BaseDirectory, "plugins", "inmemory");

    /// <summary>
    /// Issue 18 item 4: <c>regstore conformance --plugin plugins/inmemory</c> with no driver
    /// parameters failed the resume tests, because inmemory declared resumable writes over a
    /// store private to each instance. It now declares them only with a named store, and the
    /// suite checks the declared meaning (a new instance finds nothing to resume): every test
    /// passes, the resume tests included. Only the large stream is made smaller (64 MiB, a
    /// runner option, not a driver parameter), as inmemory holds it in memory.
    /// </summary>
    [Test]
    [CancelAfter(900_000)]
    public async Task InMemoryPlugin_WithoutParameters_PassesEveryTest(CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { RunnerDll, "conformance", "--plugin", InMemoryPluginFolder, "--large-stream-size", "64MiB" })
        {
            info.ArgumentList.Add(arg);
        }

        // No parameters at all: none from the test command's environment either (it names a store).
        foreach (var name in info.Environment.Keys.Where(k => k.StartsWith("REGSTORE_TEST_INMEMORY_", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            info.Environment.Remove(name);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        var output = await stdout;
        TestContext.Out.WriteLine(output);

        process.ExitCode.ShouldBe(0, $"{output}\n{await stderr}");
        var summary = Regex.Match(output, @"^(\d+) passed, (\d+) failed, (\d+) skipped$", RegexOptions.Multiline);
        summary.Success.ShouldBeTrue(output);
        int.Parse(summary.Groups[1].Value).ShouldBeGreaterThan(0);
        (summary.Groups[2].Value, summary.Groups[3].Value).ShouldBe(("0", "0"), output);
        foreach (var resumeTest in new[]
        {
            nameof(StorageDriverConformance.ClosedWriter_ResumesFromNewDriverInstance),
            nameof(StorageDriverConformance.UncommittedContent_IsInvisibleUntilCommit),
            nameof(StorageDriverConformance.Cancel_AfterResume_DiscardsInheritedContent),
            nameof(StorageDriverConformance.ContinueStreamAppendSmall),
            nameof(StorageDriverConformance.ContinueStreamAppendLarge),
        })
        {
            output.ShouldContain($"PASS  {resumeTest} (");
        }
    }
}
