#pragma warning disable CA1416 // Linux only: [Platform(Include = "Linux")]
using Microsoft.Diagnostics.Tracing;

namespace Registry.Storage.Host.Tests;

/// <summary>
/// The published plugins run their ReadyToRun code. crossgen2 compiles a plugin against what is
/// published with it, and the contract is not (the host supplies it); without the contract as a
/// reference, every type that touched it was left out of the image and the runtime JIT-compiled
/// each driver method on first call, image or not. The runtime's own JIT events (EventPipe, written
/// to a file by the runtime itself) show which methods were compiled at run time.
/// </summary>
[NonParallelizable]
[Platform(Include = "Linux")]
public sealed class PrecompiledPluginsTests
{
    private PublishedHost _host = null!;

    [OneTimeSetUp]
    public void CopyPublishedHost() => _host = PublishedHost.Create("precompiled");

    [OneTimeTearDown]
    public void RemoveScratch() => _host.Dispose();

    [TestCase("filesystem", "Registry.Storage.Drivers.Filesystem")]
    [TestCase("inmemory", "Registry.Storage.Drivers.InMemory")]
    public async Task A_selected_driver_runs_its_precompiled_code_not_the_jit(string driver, string driverNamespace)
    {
        var config = _host.WriteConfig(driver, driver == "filesystem"
            ? $"storage:\n  filesystem:\n    rootdirectory: {Path.Combine(_host.Work, "data")}\n"
            : "storage:\n  inmemory: {}\n");
        var trace = Path.Combine(_host.Work, driver + ".nettrace");

        var run = await _host.RunAsync(["--config", config, "stat", "/missing"], new Dictionary<string, string>
        {
            ["DOTNET_EnableEventPipe"] = "1",
            ["DOTNET_EventPipeOutputPath"] = trace,
            // The runtime provider's JIT keyword (0x10), verbose: one MethodJittingStarted per method compiled at run time.
            ["DOTNET_EventPipeConfig"] = "Microsoft-Windows-DotNETRuntime:0x10:5",
        });
        run.ExitCode.ShouldBe(1, run.Stderr);
        run.Stderr.ShouldContain("path not found");

        var jitted = JittedMethods(trace);
        jitted.ShouldNotBeEmpty("the trace recorded no JIT event at all, so it cannot tell what ran precompiled");
        // Generic instantiations over framework types may legitimately need the JIT (they live outside the
        // plugin's version bubble); the driver's own non-generic methods must not.
        var driverMethods = jitted.Where(m => m.StartsWith(driverNamespace + ".", StringComparison.Ordinal) && !m.Contains('`', StringComparison.Ordinal)).ToList();
        driverMethods.ShouldBeEmpty($"{driver}'s own methods were JIT-compiled, so its ReadyToRun code was not used");
    }

    private static List<string> JittedMethods(string trace)
    {
        var methods = new List<string>();
        using var source = new EventPipeEventSource(trace);
        source.Clr.MethodJittingStarted += e => methods.Add($"{e.MethodNamespace}::{e.MethodName}");
        source.Process();
        return methods;
    }
}
