namespace Registry.Storage.Conformance;

/// <summary>
/// Sizes and switches of the suite. Defaults are distribution's; each can be lowered for a
/// slow backend through environment variables (CI runs filesystem and inmemory at full size).
/// </summary>
public sealed record ConformanceOptions
{
    /// <summary>The size of WriteReadLargeStreams: 5 GiB as in distribution (<c>REGSTORE_CONFORMANCE_LARGE_STREAM_SIZE</c>, e.g. <c>1GB</c>).</summary>
    public long LargeStreamSize { get; init; } = 5L << 30;

    /// <summary>Reads overrides from the environment.</summary>
    public static ConformanceOptions FromEnvironment()
    {
        var options = new ConformanceOptions();
        if (ByteSize.TryParse(Environment.GetEnvironmentVariable("REGSTORE_CONFORMANCE_LARGE_STREAM_SIZE"), out var large) && large > 0)
        {
            options = options with { LargeStreamSize = large };
        }

        return options;
    }
}
