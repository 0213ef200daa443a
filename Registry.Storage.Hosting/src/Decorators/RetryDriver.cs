using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.Retry;

namespace Registry.Storage.Hosting.Decorators;

/// <summary>How the retry decorator backs off.</summary>
/// <param name="MaxRetries">Retries after the first attempt (so at most <c>MaxRetries + 1</c> calls).</param>
/// <param name="Delay">The base delay; it doubles each retry.</param>
/// <param name="MaxDelay">The longest single wait.</param>
public sealed record RetryOptions(int MaxRetries = 3, TimeSpan? Delay = null, TimeSpan? MaxDelay = null)
{
    /// <summary>The base delay in effect (default 200 ms).</summary>
    public TimeSpan BaseDelay => Delay ?? TimeSpan.FromMilliseconds(200);

    /// <summary>The longest wait in effect (default 10 s).</summary>
    public TimeSpan LongestDelay => MaxDelay ?? TimeSpan.FromSeconds(10);
}

/// <summary>
/// Retries transient failures with exponential backoff and jitter (a Polly.Core
/// <see cref="ResiliencePipeline"/>). Only failures a driver marked
/// <see cref="StorageDriverException.IsTransient"/> — directly or on a wrapped inner
/// error — are retried; not-found, invalid-path and the like never are, nor a call the
/// caller cancelled.
/// </summary>
/// <remarks>
/// <para>
/// What is never repeated: the writes of a <see cref="FileWriter"/> and the bytes of a
/// reader (only opening them is retried: a half-sent stream cannot be replayed without
/// buffering it, which would break the memory bound), a <c>Move</c> (if the reply was lost
/// the source is already gone), a walk whose visitor has already seen entries, and a
/// listing after its first entry.
/// </para>
/// <para>
/// Order against the timeout decorator, as OpenDAL's retry layer documents it: put the
/// timeout <em>inside</em> the retry (<c>Retry(Timeout(driver))</c>), so each attempt gets
/// its own deadline and a timed-out attempt — reported as transient — is retried. With the
/// timeout outside, one slow attempt would use up the whole budget and the retries would
/// run on an already expired token. <see cref="StorageDecorators"/> composes them this way;
/// the worst case for one call is then (retries + 1) × timeout plus the backoff waits.
/// </para>
/// </remarks>
public sealed class RetryDriver : InterceptingDriver
{
    private static readonly ResiliencePropertyKey<StorageOperation> OperationKey = new("registry.storage.operation");
    private readonly ResiliencePipeline _pipeline;

    /// <summary>Wraps <paramref name="inner"/>.</summary>
    public RetryDriver(IStorageDriver inner, RetryOptions? options = null, ILogger? logger = null, TimeProvider? timeProvider = null)
        : base(inner)
    {
        options ??= new RetryOptions();
        logger ??= NullLogger.Instance;
        var retry = new RetryStrategyOptions
        {
            ShouldHandle = args => ValueTask.FromResult(
                args.Outcome.Exception is { } ex && IsTransient(ex)
                && args.Context.Properties.TryGetValue(OperationKey, out var operation) && operation.IsIdempotent),
            MaxRetryAttempts = options.MaxRetries,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = options.BaseDelay,
            MaxDelay = options.LongestDelay,
            OnRetry = args =>
            {
                DecoratorLog.Retrying(logger, inner.Name, args.AttemptNumber + 1, args.RetryDelay.TotalMilliseconds, args.Outcome.Exception?.Message ?? "");
                return ValueTask.CompletedTask;
            },
        };
        var builder = new ResiliencePipelineBuilder { Name = "Registry.Storage.Retry" };
        if (timeProvider is not null)
        {
            builder.TimeProvider = timeProvider;
        }

        _pipeline = builder.AddRetry(retry).Build();
    }

    /// <summary>Whether <paramref name="exception"/> or an error it wraps is a transient driver failure.</summary>
    public static bool IsTransient(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is StorageDriverException { IsTransient: true })
            {
                return true;
            }
        }

        return false;
    }

    /// <inheritdoc />
    protected override async Task<T> InvokeAsync<T>(StorageOperation operation, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(call);
        if (!operation.IsIdempotent)
        {
            return await call(cancellationToken).ConfigureAwait(false);
        }

        // The operation rides in the context so the retry predicate sees a walk turn non-idempotent mid-way.
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(OperationKey, operation);
        try
        {
            return await _pipeline.ExecuteAsync(static (ctx, call) => new ValueTask<T>(call(ctx.CancellationToken)), context, call).ConfigureAwait(false);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }
}
