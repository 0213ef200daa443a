using Registry.Storage.Hosting.Decorators;
using Registry.Storage.Host.Tests.Decorators;

namespace Registry.Storage.Conformance;

/// <summary>
/// The whole conformance suite through every decorator at once — logging, tracing, metrics,
/// retry, timeout, concurrency limit and a fault injector failing 5 % of the retryable calls —
/// around the inmemory plugin: the decorators must keep every semantic of the contract, and
/// retry must hide every injected fault. (Move is left out of the injection: it is never retried.)
/// </summary>
public sealed class DecoratedDriverConformance : StorageDriverConformance
{
    private static readonly string StoreName = "decorated-conformance-" + Guid.NewGuid().ToString("N");

    private static readonly DecoratorOptions Everything = new()
    {
        Retry = new RetryOptions(MaxRetries: 10, Delay: TimeSpan.FromMilliseconds(1), MaxDelay: TimeSpan.FromMilliseconds(10)),
        Timeout = TimeSpan.FromMinutes(2),
        MaxConcurrency = 64,
        Faults = new FaultInjectionOptions(ErrorRate: 0.05, Seed: 2026,
            Operations: ["GetContent", "PutContent", "Reader", "Writer", "Stat", "List", "Delete", "RedirectURL", "Walk"]),
    };

    // The decorators are under test, not the store: the large stream stops at 1 GiB, held in RAM by inmemory.
    protected override ConformanceOptions Options { get; } = Capped(ConformanceOptions.FromEnvironment());

    private static ConformanceOptions Capped(ConformanceOptions options) => options with { LargeStreamSize = Math.Min(options.LargeStreamSize, 1L << 30) };

    protected override async ValueTask<IStorageDriver> CreateDriverAsync(string rootName, CancellationToken cancellationToken)
    {
        var driver = await InMemoryPlugin.Registry.CreateAsync("inmemory", new Dictionary<string, object?>
        {
            ["rootdirectory"] = "/" + rootName,
            ["store"] = StoreName,
        }, cancellationToken);
        return StorageDecorators.Apply(driver, Everything);
    }
}
