using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Registry.Storage.Hosting.Configuration;

namespace Registry.Storage.Hosting.Decorators;

/// <summary>
/// Composes the decorators around a driver in one documented order. From the caller inwards:
/// <list type="number">
/// <item><see cref="LoggingDriver"/>, <see cref="TracingDriver"/>, <see cref="MetricsDriver"/> — observe what the caller sees: one call, its whole duration including retries, its final outcome;</item>
/// <item>URL middleware: <see cref="RewriteMiddleware"/> over <see cref="RedirectMiddleware"/> over <see cref="CloudFrontMiddleware"/> — a rewrite applies to whichever URL the others produce;</item>
/// <item><see cref="RetryDriver"/> — outside the timeout, so each attempt gets its own deadline (see its remarks);</item>
/// <item><see cref="TimeoutDriver"/>;</item>
/// <item><see cref="ConcurrencyLimitDriver"/> — inside retry and timeout, so a backoff wait never holds a slot, but waiting for a slot counts against the deadline;</item>
/// <item><see cref="FaultInjectionDriver"/> — closest to the driver, standing in for backend faults so every layer above reacts as it would to real ones;</item>
/// <item>the driver as the registry created it, already inside the always-on <see cref="ValidatingDriver"/>.</item>
/// </list>
/// </summary>
public static class StorageDecorators
{
    /// <summary>Wraps <paramref name="driver"/> as <paramref name="options"/> say.</summary>
    public static IStorageDriver Apply(IStorageDriver driver, DecoratorOptions options, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null) =>
        Apply(driver, options, loggerFactory, timeProvider, meter: null);

    /// <summary>Wraps <paramref name="driver"/> as <paramref name="options"/> say, publishing metrics on <paramref name="meter"/> (from an application's <c>IMeterFactory</c>; default <see cref="StorageTelemetry.Meter"/>).</summary>
    public static IStorageDriver Apply(IStorageDriver driver, DecoratorOptions options, ILoggerFactory? loggerFactory, TimeProvider? timeProvider, System.Diagnostics.Metrics.Meter? meter)
    {
        ArgumentNullException.ThrowIfNull(driver);
        ArgumentNullException.ThrowIfNull(options);
        loggerFactory ??= NullLoggerFactory.Instance;
        var logger = loggerFactory.CreateLogger("Registry.Storage.Driver." + driver.Name);

        if (options.Faults is { } faults)
        {
            driver = new FaultInjectionDriver(driver, faults, timeProvider);
        }

        if (options.MaxConcurrency is { } limit)
        {
            driver = new ConcurrencyLimitDriver(driver, limit);
        }

        if (options.Timeout is { } timeout)
        {
            driver = new TimeoutDriver(driver, timeout, timeProvider);
        }

        if (options.Retry is { } retry)
        {
            driver = new RetryDriver(driver, retry, logger, timeProvider);
        }

        if (options.CloudFront is { } cloudFront)
        {
            driver = new CloudFrontMiddleware(driver, cloudFront, timeProvider, logger);
        }

        if (options.RedirectBaseUrl is { } baseUrl)
        {
            driver = new RedirectMiddleware(driver, baseUrl);
        }

        if (options.Rewrite is { } rewrite)
        {
            driver = new RewriteMiddleware(driver, rewrite);
        }

        if (options.Metrics)
        {
            driver = new MetricsDriver(driver, meter, timeProvider);
        }

        if (options.Tracing)
        {
            driver = new TracingDriver(driver);
        }

        if (options.Logging)
        {
            driver = new LoggingDriver(driver, logger, timeProvider);
        }

        return driver;
    }

    /// <summary>Wraps <paramref name="driver"/> as the <c>middleware:</c> sections of <paramref name="configuration"/> say (<see cref="MiddlewareConfiguration"/>).</summary>
    public static IStorageDriver Apply(IStorageDriver driver, IConfiguration configuration, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null) =>
        Apply(driver, MiddlewareConfiguration.Read(configuration), loggerFactory, timeProvider);
}
