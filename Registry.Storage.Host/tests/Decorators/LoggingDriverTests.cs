using Microsoft.Extensions.Logging;
using Registry.Storage.Hosting.Decorators;

namespace Registry.Storage.Host.Tests.Decorators;

public class LoggingDriverTests
{
    [Test]
    public async Task Successful_calls_log_operation_path_and_duration_at_debug()
    {
        var log = new ListLogger();
        var driver = new LoggingDriver(await InMemoryPlugin.CreateAsync(), log);
        await driver.PutContentAsync("/repo/data", new byte[] { 1, 2, 3 });

        var entry = log.Entries.ShouldHaveSingleItem();
        entry.Level.ShouldBe(LogLevel.Debug);
        entry.Message.ShouldStartWith("inmemory PutContent /repo/data took ");
        entry.Message.ShouldEndWith(" ms");
    }

    [Test]
    public async Task Failures_log_a_warning_with_the_error_type_but_routine_not_found_lookups_stay_at_debug()
    {
        var log = new ListLogger();
        var tree = new TestTree("s3") { Failure = new StorageDriverException("s3", "access denied") };
        var driver = new LoggingDriver(tree, log);
        await Should.ThrowAsync<StorageDriverException>(() => driver.DeleteAsync("/x"));
        tree.Failure = new PathNotFoundException("s3", "/y");
        await Should.ThrowAsync<PathNotFoundException>(() => driver.StatAsync("/y"));

        log.Entries[0].Level.ShouldBe(LogLevel.Warning);
        log.Entries[0].Message.ShouldStartWith("s3 Delete /x failed after ");
        log.Entries[0].Message.ShouldEndWith(": StorageDriverException");
        log.Entries[0].Error.ShouldBeOfType<StorageDriverException>().Detail.ShouldBe("access denied");
        log.Entries[1].ShouldBe((LogLevel.Debug, "s3 Stat /y: not found", null));
    }

    [Test]
    public async Task Logs_never_contain_content_or_driver_parameters()
    {
        var log = new ListLogger();
        var secret = "AKIA-super-secret-value";
        var inner = await InMemoryPlugin.Registry.CreateAsync("inmemory", new Dictionary<string, object?> { ["store"] = "logging-" + Guid.NewGuid() });
        var driver = new LoggingDriver(inner, log);
        await driver.PutContentAsync("/f", System.Text.Encoding.UTF8.GetBytes(secret));
        await using (var writer = await driver.WriterAsync("/w", append: false))
        {
            await writer.WriteAsync(System.Text.Encoding.UTF8.GetBytes(secret));
            await writer.CommitAsync();
        }

        (await driver.GetContentAsync("/f")).Length.ShouldBe(secret.Length);
        log.Entries.Count.ShouldBe(4, "PutContent, Writer open, Writer commit, GetContent");
        log.Entries.ShouldAllBe(e => !e.Message.Contains(secret) && !e.Message.Contains("logging-"));
        log.Entries.ShouldContain(e => e.Message == "inmemory Writer /w: commit");
    }
}
