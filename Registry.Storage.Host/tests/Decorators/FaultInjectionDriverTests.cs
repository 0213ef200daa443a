using Registry.Storage.Hosting.Decorators;

namespace Registry.Storage.Host.Tests.Decorators;

public class FaultInjectionDriverTests
{
    private static async Task<List<bool>> OutcomesAsync(int seed)
    {
        var driver = new FaultInjectionDriver(new TestTree(), new FaultInjectionOptions(ErrorRate: 0.5, Seed: seed));
        var outcomes = new List<bool>();
        for (var i = 0; i < 50; i++)
        {
            try
            {
                await driver.StatAsync("/x");
                outcomes.Add(true);
            }
            catch (StorageDriverException ex) when (ex.IsTransient)
            {
                outcomes.Add(false);
            }
        }

        return outcomes;
    }

    [Test]
    public async Task The_same_seed_fails_the_same_calls()
    {
        var first = await OutcomesAsync(42);
        (await OutcomesAsync(42)).ShouldBe(first);
        first.Count(ok => !ok).ShouldBeInRange(10, 40, "about half fail at rate 0.5");
    }

    [Test]
    public async Task An_injected_error_is_transient_names_driver_and_path_and_never_reaches_the_driver()
    {
        var tree = new TestTree("s3");
        var driver = new FaultInjectionDriver(tree, new FaultInjectionOptions(ErrorRate: 1));

        var error = await Should.ThrowAsync<StorageDriverException>(() => driver.PutContentAsync("/a/b", new byte[1]));
        error.IsTransient.ShouldBeTrue();
        error.Message.ShouldBe("s3: PutContent /a/b failed: injected fault");
        tree.Calls.ShouldBeEmpty();
        driver.InjectedErrors.ShouldBe(1);
    }

    [Test]
    public async Task Truncated_reads_end_early_without_an_error()
    {
        var inner = await InMemoryPlugin.CreateAsync();
        var content = new byte[3 << 20];
        await inner.WriteStreamAsync("/big", new MemoryStream(content));
        var driver = new FaultInjectionDriver(inner, new FaultInjectionOptions(TruncateReadRate: 1, Seed: 1));

        await using var reader = await driver.ReaderAsync("/big", 0);
        var read = new MemoryStream();
        await reader.CopyToAsync(read);
        read.Length.ShouldBeLessThan(1 << 20);
        driver.TruncatedReads.ShouldBe(1);
    }

    [Test]
    public async Task Latency_delays_every_call()
    {
        var driver = new FaultInjectionDriver(new TestTree(), new FaultInjectionOptions(Latency: TimeSpan.FromMilliseconds(60)));
        var started = TimeProvider.System.GetTimestamp();
        await driver.StatAsync("/x");
        TimeProvider.System.GetElapsedTime(started).ShouldBeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(55));
    }
}
