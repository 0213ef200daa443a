using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Registry.Server.Configuration;
using Registry.Storage;

namespace Registry.Server.Maintenance;

/// <summary>Runs <see cref="UploadPurger"/> every <c>interval</c> (distribution waits a random part of an hour first; this waits a few seconds).</summary>
internal sealed class UploadPurgingService(IStorageDriver driver, UploadPurgingOptions options, TimeProvider time, ILogger<UploadPurgingService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var purger = new UploadPurger(driver, logger);
        var delay = TimeSpan.FromSeconds(Math.Min(5, options.Interval.TotalSeconds));
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(delay, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            try
            {
                await purger.PurgeAsync(time.GetUtcNow() - options.Age, options.DryRun, stoppingToken);
            }
            catch (StorageDriverException e)
            {
                logger.LogError(e, "upload purge failed; retrying at the next interval");
            }

            delay = options.Interval;
        }
    }
}
