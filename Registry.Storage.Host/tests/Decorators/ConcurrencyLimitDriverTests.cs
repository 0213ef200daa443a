using Registry.Storage.Hosting.Decorators;
using Registry.Storage.Kit;

namespace Registry.Storage.Host.Tests.Decorators;

public class ConcurrencyLimitDriverTests
{
    [Test]
    public async Task No_more_than_the_limit_of_calls_reach_the_driver_at_once()
    {
        var gated = new GatedDriver(await InMemoryPlugin.CreateAsync());
        using var driver = new ConcurrencyLimitDriver(gated, 3);

        var calls = Enumerable.Range(0, 10).Select(_ => driver.StatAsync("/")).ToArray();
        for (var i = 0; i < 3; i++)
        {
            (await gated.Entered.WaitAsync(TimeSpan.FromSeconds(10))).ShouldBeTrue();
        }

        gated.InFlight.ShouldBe(3);
        driver.Available.ShouldBe(0);
        calls.Count(c => c.IsCompleted).ShouldBe(0);

        gated.Open.TrySetResult();
        await Task.WhenAll(calls).WaitAsync(TimeSpan.FromSeconds(10));
        gated.MaxInFlight.ShouldBe(3);
        driver.Available.ShouldBe(3, "every slot is given back");
    }

    [Test]
    public async Task A_failing_call_gives_its_slot_back()
    {
        using var driver = new ConcurrencyLimitDriver(await InMemoryPlugin.CreateAsync(), 1);
        await Should.ThrowAsync<PathNotFoundException>(() => driver.StatAsync("/missing"));
        driver.Available.ShouldBe(1);
    }

    [Test]
    public async Task A_walk_visitor_that_calls_the_same_driver_does_not_deadlock_on_a_limit_of_one()
    {
        var inner = await InMemoryPlugin.CreateAsync();
        await inner.PutContentAsync("/t/a", new byte[2]);
        await inner.PutContentAsync("/t/b/c", new byte[3]);
        using var driver = new ConcurrencyLimitDriver(inner, 1);

        var sizes = new List<long>();
        await driver.WalkAsync("/t", async (entry, ct) =>
        {
            sizes.Add((await driver.StatAsync(entry.Path, ct)).Size);
            return WalkDecision.Continue;
        }).WaitAsync(TimeSpan.FromSeconds(10));

        sizes.ShouldBe([2L, 0L, 3L]);
        driver.Available.ShouldBe(1);
    }

    private sealed class GatedDriver(IStorageDriver inner) : DelegatingStorageDriver(inner)
    {
        private int _inFlight;
        private int _max;

        public SemaphoreSlim Entered { get; } = new(0);

        public TaskCompletionSource Open { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int InFlight => Volatile.Read(ref _inFlight);

        public int MaxInFlight => Volatile.Read(ref _max);

        public override async Task<StorageFileInfo> StatAsync(string path, CancellationToken cancellationToken = default)
        {
            var now = Interlocked.Increment(ref _inFlight);
            InterlockedMax(now);
            Entered.Release();
            await Open.Task;
            Interlocked.Decrement(ref _inFlight);
            return await Inner.StatAsync(path, cancellationToken);
        }

        private void InterlockedMax(int value)
        {
            int current;
            while (value > (current = Volatile.Read(ref _max)) && Interlocked.CompareExchange(ref _max, value, current) != current)
            {
            }
        }
    }
}
