using System.Net;
using Microsoft.Extensions.Configuration;
using Registry.Server.Configuration;
using Registry.Server.Tests.Infrastructure;
using static Registry.Server.Tests.Infrastructure.RegistryApi;

namespace Registry.Server.Tests.Maintenance;

/// <summary>storage.maintenance.gc: the server collects garbage on a schedule through the same collector as regstore gc.</summary>
public sealed class ScheduledGcTests
{
    [Test]
    public void The_schedule_is_read_from_storage_maintenance_gc_and_off_by_default()
    {
        RegistryServerOptions.FromConfiguration(new ConfigurationBuilder().Build()).ScheduledGc.Enabled.ShouldBeFalse();
        var options = RegistryServerOptions.FromConfiguration(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["storage:maintenance:gc:enabled"] = "true",
            ["storage:maintenance:gc:interval"] = "6h",
            ["storage:maintenance:gc:grace"] = "30m",
            ["storage:maintenance:gc:deleteuntagged"] = "true",
        }).Build());

        options.ScheduledGc.ShouldBe(new ScheduledGcOptions { Enabled = true, Interval = TimeSpan.FromHours(6), Grace = TimeSpan.FromMinutes(30), DeleteUntagged = true });
        options.Warnings.ShouldBeEmpty();
    }

    [Test]
    public async Task A_running_server_removes_an_unreferenced_blob_and_keeps_a_tagged_image()
    {
        await using var host = await RegistryHost.StartInMemoryAsync(new RegistryServerOptions
        {
            DeleteEnabled = true,
            ScheduledGc = new ScheduledGcOptions { Enabled = true, Interval = TimeSpan.FromMilliseconds(300), Grace = TimeSpan.Zero },
        });
        var manifest = await PushImageBlobsAsync(host.Client, "gc/kept");
        (await PutManifestAsync(host.Client, "gc/kept", "v1", manifest, OciManifest)).StatusCode.ShouldBe(HttpStatusCode.Created);
        var orphan = await PushBlobAsync(host.Client, "gc/orphan", RandomBytes(4096, 77));

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        HttpStatusCode status;
        do
        {
            await Task.Delay(200);
            using var head = new HttpRequestMessage(HttpMethod.Head, $"/v2/gc/orphan/blobs/{orphan}");
            status = (await host.Client.SendAsync(head)).StatusCode;
        }
        while (status != HttpStatusCode.NotFound && DateTime.UtcNow < deadline);

        status.ShouldBe(HttpStatusCode.NotFound, "the scheduled collection removes the blob no manifest references");
        var hex = orphan["sha256:".Length..];
        await Should.ThrowAsync<PathNotFoundException>(() => host.Driver.StatAsync($"/docker/registry/v2/blobs/sha256/{hex[..2]}/{hex}/data"));
        (await host.Client.GetAsync("/v2/gc/kept/manifests/v1")).StatusCode.ShouldBe(HttpStatusCode.OK, "the tagged image stays");
    }
}
