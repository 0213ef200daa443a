using Registry.Storage.Hosting.Decorators;

namespace Registry.Storage.Host.Tests.Decorators;

public class RetryDriverTests
{
    private static readonly RetryOptions Fast = new(MaxRetries: 8, Delay: TimeSpan.FromMilliseconds(1), MaxDelay: TimeSpan.FromMilliseconds(5));

    private static StorageDriverException Transient() => new("tree", "throttled") { IsTransient = true };

    [Test]
    public async Task Transient_faults_from_the_injector_are_retried_until_every_call_succeeds()
    {
        var faults = new FaultInjectionDriver(await InMemoryPlugin.CreateAsync(), new FaultInjectionOptions(ErrorRate: 0.4, Seed: 7));
        var driver = new RetryDriver(faults, Fast);

        for (var i = 0; i < 40; i++)
        {
            await driver.PutContentAsync($"/f/{i}", new[] { (byte)i });
            (await driver.GetContentAsync($"/f/{i}")).ShouldBe(new[] { (byte)i });
        }

        (await driver.ListSortedAsync("/f")).Count.ShouldBe(40);
        (await driver.WalkToListAsync("/f")).Count.ShouldBe(40);
        faults.InjectedErrors.ShouldBeGreaterThan(10, "the injector must really have failed calls for this to prove anything");
    }

    [Test]
    public async Task A_transient_fault_is_tried_max_retries_plus_one_times_then_surfaces()
    {
        var tree = new TestTree { Failure = Transient() };
        var driver = new RetryDriver(tree, Fast with { MaxRetries = 3 });

        var error = await Should.ThrowAsync<StorageDriverException>(() => driver.StatAsync("/x"));
        error.IsTransient.ShouldBeTrue();
        tree.Calls.ShouldBe(Enumerable.Repeat("Stat /x", 4));
    }

    [Test]
    public async Task A_transient_fault_wrapped_inside_another_driver_error_is_retried()
    {
        var tree = new TestTree { Failure = new StorageDriverException("tree", "wrapped", Transient()) };
        var driver = new RetryDriver(tree, Fast with { MaxRetries = 2 });

        await Should.ThrowAsync<StorageDriverException>(() => driver.DeleteAsync("/x"));
        tree.Calls.Count.ShouldBe(3);
    }

    [Test]
    public async Task Non_transient_errors_and_cancellation_are_never_retried()
    {
        var tree = new TestTree { Failure = new PathNotFoundException("tree", "/x") };
        var driver = new RetryDriver(tree, Fast);
        await Should.ThrowAsync<PathNotFoundException>(() => driver.GetContentAsync("/x"));
        tree.Calls.Count.ShouldBe(1);

        tree.Calls.Clear();
        tree.Failure = new OperationCanceledException();
        await Should.ThrowAsync<OperationCanceledException>(() => driver.StatAsync("/x"));
        tree.Calls.Count.ShouldBe(1);
    }

    [Test]
    public async Task Move_is_not_idempotent_and_is_never_retried()
    {
        var tree = new TestTree { Failure = Transient() };
        var driver = new RetryDriver(tree, Fast);

        await Should.ThrowAsync<StorageDriverException>(() => driver.MoveAsync("/a", "/b"));
        tree.Calls.ShouldBe(["Move /a /b"]);
    }

    [Test]
    public async Task A_writers_failed_write_is_not_repeated()
    {
        var flaky = new FlakyDriver(await InMemoryPlugin.CreateAsync()) { FailWrites = true };
        var driver = new RetryDriver(flaky, Fast);

        await using var writer = await driver.WriterAsync("/blob", append: false);
        await Should.ThrowAsync<StorageDriverException>(async () => await writer.WriteAsync(new byte[10]));
        flaky.Writes.ShouldBe(1);
    }

    [Test]
    public async Task A_walk_that_already_showed_entries_is_not_started_again()
    {
        var inner = await InMemoryPlugin.CreateAsync();
        await inner.PutContentAsync("/w/a", new byte[1]);
        await inner.PutContentAsync("/w/b", new byte[1]);
        var flaky = new FlakyDriver(inner) { FailWalkAfterFirstEntry = true };
        var driver = new RetryDriver(flaky, Fast);

        var seen = new List<string>();
        await Should.ThrowAsync<StorageDriverException>(() => driver.WalkAsync("/w", (e, _) =>
        {
            seen.Add(e.Path);
            return ValueTask.FromResult(WalkDecision.Continue);
        }));
        flaky.Walks.ShouldBe(1);
        seen.ShouldBe(["/w/a"], "no entry is shown twice");
    }
}
