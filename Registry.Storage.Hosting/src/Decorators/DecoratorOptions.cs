namespace Registry.Storage.Hosting.Decorators;

/// <summary>
/// Which decorators and storage middleware wrap the configured driver, and how. Built from
/// configuration by <see cref="Configuration.MiddlewareConfiguration"/> or set in code; applied
/// in a fixed order by <see cref="StorageDecorators.Apply(IStorageDriver, DecoratorOptions, Microsoft.Extensions.Logging.ILoggerFactory?, TimeProvider?)"/>.
/// </summary>
public sealed record DecoratorOptions
{
    /// <summary>Nothing but the defaults: logging, metrics and tracing on, everything else off.</summary>
    public static DecoratorOptions Default { get; } = new();

    /// <summary>Log each call (<see cref="LoggingDriver"/>). Default on; it logs at Debug, failures at Warning.</summary>
    public bool Logging { get; init; } = true;

    /// <summary>Publish metrics (<see cref="MetricsDriver"/>). Default on; free without a listener.</summary>
    public bool Metrics { get; init; } = true;

    /// <summary>Start spans (<see cref="TracingDriver"/>). Default on; free without a listener.</summary>
    public bool Tracing { get; init; } = true;

    /// <summary>Retry transient failures (<see cref="RetryDriver"/>); off when <see langword="null"/>, since SDK-based drivers retry on their own.</summary>
    public RetryOptions? Retry { get; init; }

    /// <summary>A deadline per call (<see cref="TimeoutDriver"/>); off when <see langword="null"/>.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>The most concurrent calls (<see cref="ConcurrencyLimitDriver"/>, distribution's <c>maxthreads</c>); off when <see langword="null"/>.</summary>
    public int? MaxConcurrency { get; init; }

    /// <summary>Inject faults (<see cref="FaultInjectionDriver"/>) — for resilience tests only; off when <see langword="null"/>.</summary>
    public FaultInjectionOptions? Faults { get; init; }

    /// <summary>The <c>redirect</c> middleware's base URL; off when <see langword="null"/>.</summary>
    public Uri? RedirectBaseUrl { get; init; }

    /// <summary>The <c>rewrite</c> middleware; off when <see langword="null"/>.</summary>
    public RewriteOptions? Rewrite { get; init; }

    /// <summary>The <c>cloudfront</c> middleware; off when <see langword="null"/>.</summary>
    public CloudFrontOptions? CloudFront { get; init; }

    /// <summary>What is wrong with these options, or nothing; used by start-up validation.</summary>
    public IEnumerable<string> Problems()
    {
        if (Retry is { MaxRetries: < 0 or > 100 })
        {
            yield return $"retry: maxretries must be between 0 and 100, got {Retry.MaxRetries}";
        }

        if (Retry is not null && (Retry.BaseDelay < TimeSpan.Zero || Retry.LongestDelay < Retry.BaseDelay))
        {
            yield return "retry: delay must not be negative and maxdelay must not be below delay";
        }

        if (Timeout is { } timeout && timeout <= TimeSpan.Zero)
        {
            yield return $"timeout: must be positive, got {timeout}";
        }

        if (MaxConcurrency is < 1)
        {
            yield return $"maxthreads: must be at least 1, got {MaxConcurrency}";
        }

        if (Faults is { } f && (f.ErrorRate is < 0 or > 1 || f.TruncateReadRate is < 0 or > 1 || f.Latency < TimeSpan.Zero))
        {
            yield return "faultinjection: errorrate and truncatereads must be between 0 and 1, latency not negative";
        }

        if (RedirectBaseUrl is { } url && (!url.IsAbsoluteUri || string.IsNullOrEmpty(url.Host)))
        {
            yield return $"redirect: baseurl {url} needs a scheme and a host";
        }

        if (CloudFront is { } cf && (string.IsNullOrWhiteSpace(cf.KeyPairId) || cf.Duration <= TimeSpan.Zero || !cf.BaseUrl.IsAbsoluteUri))
        {
            yield return "cloudfront: baseurl must be absolute, keypairid set and duration positive";
        }
    }
}
