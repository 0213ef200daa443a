using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Registry.Server.Configuration;
using Registry.Storage;

namespace Registry.Server.Maintenance;

/// <summary>
/// Runs <see cref="GarbageCollector"/> every <c>storage.maintenance.gc.interval</c>, the same
/// library call as <c>regstore gc</c>; the grace period keeps it safe while this and other replicas
/// accept pushes. A failed run is logged and retried at the next interval.
/// </summary>
internal sealed partial class ScheduledGcService(IStorageDriver driver, ScheduledGcOptions options, TimeProvider time, ILogger<ScheduledGcService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var collector = new GarbageCollector(driver, time);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(options.Interval, time, stoppingToken).ConfigureAwait(false);
                var result = await collector.RunAsync(new GarbageCollectionOptions { Grace = options.Grace, DeleteUntagged = options.DeleteUntagged, DryRun = options.DryRun }, stoppingToken).ConfigureAwait(false);
                LogRun(options.DryRun ? "would delete" : "deleted", result.Blobs.Count, result.Manifests.Count, result.Marked);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is StorageDriverException or InvalidDataException or IOException)
            {
                LogFailed(ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "scheduled gc: {Verb} {Blobs} blobs and {Manifests} manifests; {Marked} blobs in use")]
    private partial void LogRun(string verb, int blobs, int manifests, int marked);

    [LoggerMessage(Level = LogLevel.Error, Message = "scheduled gc failed; retrying at the next interval")]
    private partial void LogFailed(Exception exception);
}
