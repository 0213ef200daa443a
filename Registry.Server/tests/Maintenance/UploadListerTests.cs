using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Registry.Server.Maintenance;
using Registry.Server.Tests.Api;
using Registry.Server.Tests.Infrastructure;

namespace Registry.Server.Tests.Maintenance;

public sealed class UploadListerTests
{
    [Test]
    public async Task Lists_every_upload_with_its_start_and_size_and_purge_removes_only_the_old_ones()
    {
        await using var host = await RegistryHost.StartInMemoryAsync(new RegistryServerOptions { UploadPurging = new() { Enabled = false } });
        var old = await UploadTests.StartUploadAsync(host.Client, "a/b");
        var fresh = await UploadTests.StartUploadAsync(host.Client, "c");
        (await UploadTests.PatchAsync(host.Client, fresh, new byte[100], 0)).Dispose();
        var oldId = old.AbsolutePath[(old.AbsolutePath.LastIndexOf('/') + 1)..];
        var oldPath = $"/docker/registry/v2/repositories/a/b/_uploads/{oldId}";
        await host.Driver.PutContentAsync(oldPath + "/startedat", Encoding.UTF8.GetBytes("2020-01-01T00:00:00Z"));
        var unknown = "/docker/registry/v2/repositories/d/_uploads/0b0e1f52-9b7d-4f0e-8a55-000000000000";
        await host.Driver.PutContentAsync(unknown + "/data", new byte[3]);

        var uploads = await new UploadLister(host.Driver).ListAsync(CancellationToken.None);
        uploads.Select(u => u.Repository).ShouldBe(["a/b", "c", "d"]);
        uploads[0].StartedAt.ShouldBe(new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero));
        uploads[0].Id.ShouldBe(oldId);
        uploads[1].StartedAt!.Value.ShouldBeGreaterThan(DateTimeOffset.UtcNow.AddMinutes(-5));
        uploads[1].Size.ShouldBeGreaterThan(0); // what the walk sees: the inmemory driver shows uncommitted data only on commit
        uploads[2].StartedAt.ShouldBeNull();

        var purged = await new UploadPurger(host.Driver, NullLogger.Instance).PurgeAsync(DateTimeOffset.UtcNow.AddHours(-1), dryRun: false, CancellationToken.None);
        purged.Select(u => u.Path).ShouldBe([oldPath]);
        (await new UploadLister(host.Driver).ListAsync(CancellationToken.None)).Select(u => u.Repository).ShouldBe(["c", "d"]);
    }
}
