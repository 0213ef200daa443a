using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Registry.Storage.Hosting.Decorators;

namespace Registry.Storage.Host.Tests.Decorators;

[FixtureLifeCycle(LifeCycle.InstancePerTestCase)]
public sealed class MetricsDriverTests : IDisposable
{
    private readonly Meter _meter = new("Registry.Storage.Tests." + Guid.NewGuid().ToString("N"));
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<(string Instrument, double Value, Dictionary<string, object?> Tags)> _measurements = new();

    public MetricsDriverTests()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, _meter))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        _listener.Start();
    }

    public void Dispose()
    {
        _listener.Dispose();
        _meter.Dispose();
    }

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags) =>
        _measurements.Enqueue((instrument.Name, value, tags.ToArray().ToDictionary(t => t.Key, t => t.Value)));

    private double Sum(string instrument, string operation) =>
        _measurements.Where(m => m.Instrument == instrument && (string?)m.Tags["operation"] == operation).Sum(m => m.Value);

    [Test]
    public async Task Counts_operations_and_records_durations_tagged_with_driver_and_operation()
    {
        var driver = new MetricsDriver(await InMemoryPlugin.CreateAsync(), _meter);
        await driver.PutContentAsync("/a/file", new byte[10]);
        await driver.StatAsync("/a/file");
        await driver.StatAsync("/a/file");
        await driver.ListSortedAsync("/a");

        Sum(StorageTelemetry.Operations, "Stat").ShouldBe(2);
        Sum(StorageTelemetry.Operations, "PutContent").ShouldBe(1);
        Sum(StorageTelemetry.Operations, "List").ShouldBe(1);
        var durations = _measurements.Where(m => m.Instrument == StorageTelemetry.Duration).ToList();
        durations.Count.ShouldBe(4);
        durations.ShouldAllBe(m => m.Value >= 0 && (string?)m.Tags["driver"] == "inmemory");
    }

    [Test]
    public async Task Counts_bytes_written_through_writers_and_read_through_readers_as_they_move()
    {
        var driver = new MetricsDriver(await InMemoryPlugin.CreateAsync(), _meter);
        var content = new byte[300_000];
        await driver.WriteStreamAsync("/blob", new MemoryStream(content));
        Sum(StorageTelemetry.BytesWritten, "Writer").ShouldBe(content.Length);

        await using (var reader = await driver.ReaderAsync("/blob", 100_000))
        {
            var buffer = new byte[50_000];
            await reader.ReadExactlyAsync(buffer);
            Sum(StorageTelemetry.BytesRead, "Reader").ShouldBe(50_000, "bytes are counted as the caller reads them");
            await reader.CopyToAsync(Stream.Null);
        }

        Sum(StorageTelemetry.BytesRead, "Reader").ShouldBe(200_000);
        await driver.PutContentAsync("/small", new byte[7]);
        (await driver.GetContentAsync("/small")).Length.ShouldBe(7);
        Sum(StorageTelemetry.BytesWritten, "PutContent").ShouldBe(7);
        Sum(StorageTelemetry.BytesRead, "GetContent").ShouldBe(7);
    }

    [Test]
    public async Task Counts_errors_by_exception_type()
    {
        var driver = new MetricsDriver(await InMemoryPlugin.CreateAsync(), _meter);
        await Should.ThrowAsync<PathNotFoundException>(() => driver.StatAsync("/missing"));
        await Should.ThrowAsync<InvalidOffsetException>(() => driver.ReaderAsync("/missing", -1));

        var errors = _measurements.Where(m => m.Instrument == StorageTelemetry.Errors).ToList();
        errors.Select(e => ((string?)e.Tags["operation"], (string?)e.Tags["error.type"]))
            .ShouldBe([("Stat", nameof(PathNotFoundException)), ("Reader", nameof(InvalidOffsetException))], ignoreOrder: true);
        Sum(StorageTelemetry.Operations, "Stat").ShouldBe(1, "failed calls are operations too");
    }
}
