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

    [Test]
    public async Task An_upload_without_startedat_is_aged_by_its_last_change_and_purged_when_older()
    {
        // What a registry killed in the middle of a DELETE of its upload leaves: data, no startedat.
        await using var host = await RegistryHost.StartInMemoryAsync(new RegistryServerOptions { UploadPurging = new() { Enabled = false } });
        var halfDeleted = "/docker/registry/v2/repositories/e/_uploads/0b0e1f52-9b7d-4f0e-8a55-000000000001";
        await host.Driver.PutContentAsync(halfDeleted + "/data", new byte[3]);
        var listed = await new UploadLister(host.Driver).ListAsync(CancellationToken.None);
        var upload = listed.ShouldHaveSingleItem();
        upload.StartedAt.ShouldBeNull();

        var purger = new UploadPurger(host.Driver, NullLogger.Instance);
        (await purger.PurgeAsync(listed, upload.LastModified.AddSeconds(-1), dryRun: false, CancellationToken.None)).ShouldBeEmpty("last changed after the cut-off: kept");
        (await purger.PurgeAsync(listed, upload.LastModified.AddSeconds(1), dryRun: false, CancellationToken.None)).Select(u => u.Path).ShouldBe([halfDeleted]);
        (await new UploadLister(host.Driver).ListAsync(CancellationToken.None)).ShouldBeEmpty();
    }

    [Test]
    public async Task Both_kinds_are_listed_with_uncommitted_data_counted_and_purged_by_their_own_times()
    {
        await using var host = await RegistryHost.StartInMemoryAsync(new RegistryServerOptions { UploadPurging = new() { Enabled = false } });
        var upload = await UploadTests.StartUploadAsync(host.Client, "c");
        var before = (await new UploadLister(host.Driver).ListAsync(CancellationToken.None)).ShouldHaveSingleItem().Size;
        (await UploadTests.PatchAsync(host.Client, upload, new byte[100], 0)).Dispose();
        await using (var writer = await host.Driver.WriterAsync("/backups/a.tar", append: false))
        {
            await writer.WriteAsync(new byte[1234]); // a put interrupted: the driver's own upload, outside the registry's
        }

        var listed = await new PendingUploadLister(host.Driver).ListAsync(CancellationToken.None);

        listed.DriverListsUploads.ShouldBeTrue();
        listed.Registry.ShouldHaveSingleItem().Size.ShouldBeGreaterThanOrEqualTo(before + 100, "the upload's uncommitted data counts in its size");
        listed.Driver.Select(u => (u.Path, u.Size)).ShouldBe([("/backups/a.tar", 1234L)], "the registry upload's data is not listed a second time");

        var purger = new PendingUploadPurger(host.Driver, NullLogger.Instance);
        var young = await purger.PurgeAsync(DateTimeOffset.UtcNow.AddHours(-1), dryRun: false, CancellationToken.None);
        (young.Registry.Count, young.Driver.Count).ShouldBe((0, 0), "nothing is an hour old");
        var dry = await purger.PurgeAsync(DateTimeOffset.UtcNow.AddMinutes(1), dryRun: true, CancellationToken.None);
        (dry.Registry.Count, dry.Driver.Count).ShouldBe((1, 1));
        (await new PendingUploadLister(host.Driver).ListAsync(CancellationToken.None)).Driver.Count.ShouldBe(1, "a dry run keeps everything");

        var real = await purger.PurgeAsync(DateTimeOffset.UtcNow.AddMinutes(1), dryRun: false, CancellationToken.None);
        real.Driver.ShouldHaveSingleItem().Path.ShouldBe("/backups/a.tar");
        real.Failed.ShouldBeEmpty();
        var after = await new PendingUploadLister(host.Driver).ListAsync(CancellationToken.None);
        (after.Registry.Count, after.Driver.Count).ShouldBe((0, 0));
        await foreach (var left in host.Driver.ListUploadsAsync("/"))
        {
            Assert.Fail($"left behind: {left}");
        }
    }
}
