using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Registry.Storage.Hosting.Decorators;

/// <summary>
/// Publishes per-operation metrics through <see cref="System.Diagnostics.Metrics"/>
/// (distribution's <c>base</c> does the same with Prometheus): call count, duration,
/// bytes read and written, and errors by exception type, each tagged with the driver and
/// the operation. Instruments without a listener cost next to nothing.
/// </summary>
/// <remarks>
/// A reader's bytes are counted as the caller reads them, a writer's as they are written,
/// so a stream abandoned half-way reports what really moved.
/// </remarks>
public sealed class MetricsDriver : InterceptingDriver
{
    private readonly Counter<long> _operations;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _bytesRead;
    private readonly Counter<long> _bytesWritten;
    private readonly Counter<long> _errors;
    private readonly TimeProvider _time;

    /// <summary>Wraps <paramref name="inner"/>, publishing on <paramref name="meter"/> (default <see cref="StorageTelemetry.Meter"/>).</summary>
    public MetricsDriver(IStorageDriver inner, Meter? meter = null, TimeProvider? timeProvider = null)
        : base(inner)
    {
        meter ??= StorageTelemetry.Meter;
        _time = timeProvider ?? TimeProvider.System;
        _operations = meter.CreateCounter<long>(StorageTelemetry.Operations, "{operation}", "Storage driver calls");
        _duration = meter.CreateHistogram<double>(StorageTelemetry.Duration, "s", "Storage driver call duration");
        _bytesRead = meter.CreateCounter<long>(StorageTelemetry.BytesRead, "By", "Bytes read from the storage driver");
        _bytesWritten = meter.CreateCounter<long>(StorageTelemetry.BytesWritten, "By", "Bytes written to the storage driver");
        _errors = meter.CreateCounter<long>(StorageTelemetry.Errors, "{error}", "Failed storage driver calls");
    }

    /// <inheritdoc />
    protected override async Task<T> InvokeAsync<T>(StorageOperation operation, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(call);
        var tags = Tags(operation.Name);
        var started = _time.GetTimestamp();
        try
        {
            var result = await call(cancellationToken).ConfigureAwait(false);
            switch (result)
            {
                case byte[] content:
                    _bytesRead.Add(content.Length, tags);
                    break;
                case int written when operation.Name == "PutContent":
                    _bytesWritten.Add(written, tags);
                    break;
            }

            return result;
        }
        catch (Exception ex)
        {
            RecordError(operation.Name, ex);
            throw;
        }
        finally
        {
            _operations.Add(1, tags);
            _duration.Record(_time.GetElapsedTime(started).TotalSeconds, tags);
        }
    }

    /// <inheritdoc />
    protected override Stream WrapReader(StorageOperation operation, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(operation);
        var tags = Tags(operation.Name);
        return new ObservedReadStream(stream, n => _bytesRead.Add(n, tags));
    }

    /// <inheritdoc />
    protected override FileWriter WrapWriter(StorageOperation operation, FileWriter writer)
    {
        ArgumentNullException.ThrowIfNull(operation);
        var tags = Tags(operation.Name);
        return new ObservedFileWriter(writer, n => _bytesWritten.Add(n, tags), (outcome, error) =>
        {
            if (error is not null)
            {
                RecordError("Writer." + outcome, error);
            }
        });
    }

    private void RecordError(string operation, Exception error)
    {
        var tags = Tags(operation);
        tags.Add("error.type", StorageTelemetry.ErrorType(error));
        _errors.Add(1, tags);
    }

    private TagList Tags(string operation) => new() { { "driver", Name }, { "operation", operation } };
}
