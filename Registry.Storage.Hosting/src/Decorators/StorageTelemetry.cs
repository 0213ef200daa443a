using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Registry.Storage.Hosting.Decorators;

/// <summary>
/// The names the observability decorators publish under. An OpenTelemetry setup subscribes
/// with <c>AddMeter(StorageTelemetry.Name)</c> and <c>AddSource(StorageTelemetry.Name)</c>;
/// the host itself depends on no exporter.
/// </summary>
public static class StorageTelemetry
{
    /// <summary>The meter and activity source name: <c>Registry.Storage</c>.</summary>
    public const string Name = "Registry.Storage";

    /// <summary>Calls per driver and operation (counter, tags <c>driver</c>, <c>operation</c>).</summary>
    public const string Operations = "registry.storage.operations";

    /// <summary>Call duration in seconds (histogram, tags <c>driver</c>, <c>operation</c>).</summary>
    public const string Duration = "registry.storage.operation.duration";

    /// <summary>Bytes read through readers and GetContent (counter, tags <c>driver</c>, <c>operation</c>).</summary>
    public const string BytesRead = "registry.storage.bytes.read";

    /// <summary>Bytes written through writers and PutContent (counter, tags <c>driver</c>, <c>operation</c>).</summary>
    public const string BytesWritten = "registry.storage.bytes.written";

    /// <summary>Failed calls (counter, tags <c>driver</c>, <c>operation</c>, <c>error.type</c>).</summary>
    public const string Errors = "registry.storage.errors";

    /// <summary>The process-wide activity source the tracing decorator starts spans on.</summary>
    public static ActivitySource ActivitySource { get; } = new(Name, typeof(StorageTelemetry).Assembly.GetName().Version?.ToString());

    /// <summary>The process-wide meter the metrics decorator uses when none is given.</summary>
    public static Meter Meter { get; } = new(Name, typeof(StorageTelemetry).Assembly.GetName().Version?.ToString());

    /// <summary>The type name reported for a failure: the exception type, so dashboards group by kind, never by message.</summary>
    public static string ErrorType(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception.GetType().Name;
    }
}
