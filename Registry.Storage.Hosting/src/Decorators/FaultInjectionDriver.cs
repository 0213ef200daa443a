namespace Registry.Storage.Hosting.Decorators;

/// <summary>What the fault injector does, for resilience tests (OpenDAL's chaos layer).</summary>
/// <param name="ErrorRate">The probability (0–1) that a call fails with a transient error before it reaches the driver.</param>
/// <param name="Latency">A delay added before every call.</param>
/// <param name="TruncateReadRate">The probability (0–1) that a reader ends early, at a random point, as a dropped connection would leave it.</param>
/// <param name="Seed">Seeds the random choices so a test run is reproducible; <see langword="null"/> for a random seed.</param>
/// <param name="Operations">The operations errors are injected into (<c>Reader</c>, <c>Stat</c> …); all when <see langword="null"/>.</param>
public sealed record FaultInjectionOptions(double ErrorRate = 0, TimeSpan Latency = default, double TruncateReadRate = 0, int? Seed = null, IReadOnlyList<string>? Operations = null);

/// <summary>
/// Injects faults in front of a driver: transient errors (<see cref="StorageDriverException.IsTransient"/>,
/// thrown before the inner driver is called, so a failed call has no side effect), latency,
/// and truncated reads (the stream ends early without an error, as a proxy that drops a
/// connection can make it look — the caller must check sizes or digests). Choices come
/// from one seeded <see cref="Random"/>, so a single-threaded test is reproducible.
/// </summary>
public sealed class FaultInjectionDriver : InterceptingDriver
{
    private readonly FaultInjectionOptions _options;
    private readonly TimeProvider _time;
    private readonly Random _random;
    private readonly Lock _gate = new();

    /// <summary>Wraps <paramref name="inner"/>.</summary>
    public FaultInjectionDriver(IStorageDriver inner, FaultInjectionOptions options, TimeProvider? timeProvider = null)
        : base(inner)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.ErrorRate, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.ErrorRate, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.TruncateReadRate, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.TruncateReadRate, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Latency, TimeSpan.Zero);
        _options = options;
        _time = timeProvider ?? TimeProvider.System;
#pragma warning disable CA5394 // fault injection wants reproducible pseudo-randomness, not security
        _random = options.Seed is { } seed ? new Random(seed) : new Random();
#pragma warning restore CA5394
    }

    /// <summary>How many errors were injected so far.</summary>
    public int InjectedErrors { get; private set; }

    /// <summary>How many readers were truncated so far.</summary>
    public int TruncatedReads { get; private set; }

    /// <inheritdoc />
    protected override async Task<T> InvokeAsync<T>(StorageOperation operation, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(call);
        if (_options.Latency > TimeSpan.Zero)
        {
            await Task.Delay(_options.Latency, _time, cancellationToken).ConfigureAwait(false);
        }

        if (_options.ErrorRate > 0 && (_options.Operations is null || _options.Operations.Contains(operation.Name, StringComparer.OrdinalIgnoreCase)) && Next() < _options.ErrorRate)
        {
            lock (_gate)
            {
                InjectedErrors++;
            }

            throw new StorageDriverException(Name, $"{operation.Name} {operation.Path} failed: injected fault")
            {
                Path = operation.Path,
                IsTransient = true,
            };
        }

        return await call(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    protected override Stream WrapReader(StorageOperation operation, Stream stream)
    {
        if (_options.TruncateReadRate <= 0 || Next() >= _options.TruncateReadRate)
        {
            return stream;
        }

        lock (_gate)
        {
            TruncatedReads++;
        }

        // Somewhere in the first mebibyte: small files lose most of their content, large ones end early.
        return new ObservedReadStream(stream, null, (long)(Next() * (1 << 20)));
    }

    private double Next()
    {
        lock (_gate)
        {
#pragma warning disable CA5394
            return _random.NextDouble();
#pragma warning restore CA5394
        }
    }
}
