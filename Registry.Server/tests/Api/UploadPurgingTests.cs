using System.Net;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Registry.Server.Maintenance;
using Registry.Server.Tests.Infrastructure;

namespace Registry.Server.Tests.Api;

public sealed class UploadPurgingTests
{
    private static async Task<string> StartedUploadAsync(RegistryHost host, string repo, DateTimeOffset startedAt)
    {
        var location = await UploadTests.StartUploadAsync(host.Client, repo);
        using (var patch = await UploadTests.PatchAsync(host.Client, location, new byte[10], 0))
        {
            patch.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        }

        var id = location.AbsolutePath[(location.AbsolutePath.LastIndexOf('/') + 1)..];
        var directory = $"/docker/registry/v2/repositories/{repo}/_uploads/{id}";
        await host.Driver.PutContentAsync(directory + "/startedat", Encoding.UTF8.GetBytes(startedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'")));
        return directory;
    }

    [Test]
    public async Task Purge_removes_uploads_older_than_the_age_and_nothing_else()
    {
        await using var host = await RegistryHost.StartInMemoryAsync(new RegistryServerOptions { UploadPurging = new() { Enabled = false } });
        var now = DateTimeOffset.UtcNow;
        var old = await StartedUploadAsync(host, "a/b", now.AddHours(-5));
        var fresh = await StartedUploadAsync(host, "a/b", now.AddMinutes(-5));
        var otherOld = await StartedUploadAsync(host, "c", now.AddDays(-10));
        var digest = await RegistryApi.PushBlobAsync(host.Client, "a/b", [9, 9, 9]);

        var dry = await new UploadPurger(host.Driver, NullLogger.Instance).PurgeAsync(now.AddHours(-1), dryRun: true, CancellationToken.None);
        dry.Select(u => u.Path).Order(StringComparer.Ordinal).ShouldBe(new[] { old, otherOld }.Order(StringComparer.Ordinal));
        (await host.Driver.ExistsAsync(old + "/startedat")).ShouldBeTrue();

        var purged = await new UploadPurger(host.Driver, NullLogger.Instance).PurgeAsync(now.AddHours(-1), dryRun: false, CancellationToken.None);
        purged.Select(u => u.Path).Order(StringComparer.Ordinal).ShouldBe(new[] { old, otherOld }.Order(StringComparer.Ordinal));
        (await host.Driver.ExistsAsync(old + "/startedat")).ShouldBeFalse();
        (await host.Driver.ExistsAsync(otherOld + "/startedat")).ShouldBeFalse();
        (await host.Driver.ExistsAsync(fresh + "/startedat")).ShouldBeTrue();
        (await host.Client.GetAsync($"/v2/a/b/blobs/{digest}")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Test]
    public async Task The_background_service_purges_on_its_interval()
    {
        var options = new RegistryServerOptions
        {
            UploadPurging = new() { Enabled = true, Age = TimeSpan.FromHours(1), Interval = TimeSpan.FromMilliseconds(200) },
        };
        await using var host = await RegistryHost.StartInMemoryAsync(options);
        var old = await StartedUploadAsync(host, "bg", DateTimeOffset.UtcNow.AddHours(-2));
        var fresh = await StartedUploadAsync(host, "bg", DateTimeOffset.UtcNow);
        for (var i = 0; i < 50 && await host.Driver.ExistsAsync(old + "/startedat"); i++)
        {
            await Task.Delay(100);
        }

        (await host.Driver.ExistsAsync(old + "/startedat")).ShouldBeFalse();
        (await host.Driver.ExistsAsync(fresh + "/startedat")).ShouldBeTrue();
    }
}
