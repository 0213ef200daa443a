using Microsoft.Extensions.Logging;
using Registry.Storage;

namespace Registry.Server.Maintenance;

/// <summary>What <see cref="PendingUploadPurger"/> did (or, in a dry run, would do).</summary>
/// <param name="Registry">The registry uploads removed: started before the cut-off (<see cref="UploadPurger"/>).</param>
/// <param name="Driver">The driver's pending uploads discarded: last changed before the cut-off.</param>
/// <param name="Failed">Driver uploads whose discard failed, with the error.</param>
/// <param name="DriverListsUploads">Whether the driver could list its pending uploads at all.</param>
public sealed record PendingUploadPurge(
    IReadOnlyList<UploadInfo> Registry,
    IReadOnlyList<PendingUpload> Driver,
    IReadOnlyList<(PendingUpload Upload, StorageDriverException Error)> Failed,
    bool DriverListsUploads);

/// <summary>
/// Purges both kinds of upload (<see cref="PendingUploadLister"/>): the registry's by their
/// <c>startedat</c>, as distribution does (<see cref="UploadPurger"/>); the driver's own by when
/// they last changed, each discarded the contract's way (a writer resuming it, then Cancel), which
/// leaves committed content at its path alone. A driver upload of unknown age is kept.
/// </summary>
public sealed partial class PendingUploadPurger(IStorageDriver driver, ILogger logger)
{
    /// <summary>Purges uploads from before <paramref name="olderThan"/>; with <paramref name="dryRun"/> only reports them.</summary>
    public async Task<PendingUploadPurge> PurgeAsync(DateTimeOffset olderThan, bool dryRun, CancellationToken cancellationToken)
    {
        var uploads = await new PendingUploadLister(driver).ListAsync(cancellationToken);
        var registry = await new UploadPurger(driver, logger).PurgeAsync(uploads.Registry, olderThan, dryRun, cancellationToken);
        var discarded = new List<PendingUpload>();
        var failed = new List<(PendingUpload, StorageDriverException)>();
        foreach (var upload in uploads.Driver)
        {
            if (upload.LastModified == DateTimeOffset.MinValue)
            {
                LogKept(logger, upload.Path);
                continue;
            }

            if (upload.LastModified >= olderThan)
            {
                continue;
            }

            if (!dryRun)
            {
                try
                {
                    await driver.DiscardUploadAsync(upload.Path, cancellationToken);
                }
                catch (PathNotFoundException)
                {
                    continue; // committed, cancelled or purged meanwhile
                }
                catch (StorageDriverException error)
                {
                    LogFailed(logger, error, upload.Path);
                    failed.Add((upload, error));
                    continue;
                }
            }

            discarded.Add(upload);
            LogDiscarded(logger, dryRun ? "would discard" : "discarded", upload.Path, upload.LastModified);
        }

        return new PendingUploadPurge(registry, discarded, failed, uploads.DriverListsUploads);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "upload purge: {Action} the driver's upload at {Path} (last changed {LastModified:O})")]
    private static partial void LogDiscarded(ILogger logger, string action, string path, DateTimeOffset lastModified);

    [LoggerMessage(Level = LogLevel.Warning, Message = "upload purge: the driver's upload at {Path} has no known modification time; kept")]
    private static partial void LogKept(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "upload purge: discarding the driver's upload at {Path} failed")]
    private static partial void LogFailed(ILogger logger, Exception error, string path);
}
