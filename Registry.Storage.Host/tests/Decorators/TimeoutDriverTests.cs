using Registry.Storage.Hosting.Decorators;

namespace Registry.Storage.Host.Tests.Decorators;

public class TimeoutDriverTests
{
    [Test]
    public async Task A_call_that_overruns_fails_as_a_transient_timeout_naming_driver_and_path()
    {
        var slow = new FaultInjectionDriver(await InMemoryPlugin.CreateAsync(), new FaultInjectionOptions(Latency: TimeSpan.FromMinutes(5)));
        var driver = new TimeoutDriver(slow, TimeSpan.FromMilliseconds(100));

        var error = await Should.ThrowAsync<StorageDriverException>(() => driver.StatAsync("/slow/path"));
        error.IsTransient.ShouldBeTrue();
        error.InnerException.ShouldBeOfType<TimeoutException>();
        error.Path.ShouldBe("/slow/path");
        error.Message.ShouldBe("inmemory: Stat /slow/path timed out after 0.1 s");
    }

    [Test]
    public async Task Cancellation_by_the_caller_stays_a_cancellation()
    {
        var slow = new FaultInjectionDriver(await InMemoryPlugin.CreateAsync(), new FaultInjectionOptions(Latency: TimeSpan.FromMinutes(5)));
        var driver = new TimeoutDriver(slow, TimeSpan.FromMinutes(1));
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));

        await Should.ThrowAsync<OperationCanceledException>(() => driver.StatAsync("/x", cts.Token));
    }

    [Test]
    public async Task With_retry_outside_a_hung_attempt_times_out_and_the_next_attempt_succeeds()
    {
        var hangsOnce = new HangsOnceDriver(new TestTree());
        var driver = new RetryDriver(new TimeoutDriver(hangsOnce, TimeSpan.FromMilliseconds(100)), new RetryOptions(2, TimeSpan.FromMilliseconds(1)));

        (await driver.StatAsync("/x")).IsDirectory.ShouldBeTrue();
        hangsOnce.Calls.ShouldBe(2);
    }

    private sealed class HangsOnceDriver(IStorageDriver inner) : Registry.Storage.Kit.DelegatingStorageDriver(inner)
    {
        public int Calls;

        public override async Task<StorageFileInfo> StatAsync(string path, CancellationToken cancellationToken = default)
        {
            if (Interlocked.Increment(ref Calls) == 1)
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            return await Inner.StatAsync(path, cancellationToken);
        }
    }
}
