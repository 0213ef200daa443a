using System.Text.Json;

namespace Registry.Storage.Host.Tests;

/// <summary>
/// The runtime settings regstore streams with (build/HostRuntime.props), measured in
/// docs/benchmarks.md, "Round two".
/// </summary>
[NonParallelizable]
public sealed class HostRuntimeSettingsTests
{
    [Test]
    public void The_published_host_has_thread_pool_workers_that_block_instead_of_spinning_and_no_instrumented_tier()
    {
        using var host = PublishedHost.Create("runtime-settings");
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(host.Folder, "regstore.runtimeconfig.json")));
        var properties = document.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");

        properties.GetProperty("System.Threading.ThreadPool.UnfairSemaphoreSpinLimit").GetInt32().ShouldBe(0);
        properties.GetProperty("System.Runtime.TieredPGO").GetBoolean().ShouldBeFalse();
    }
}
