using Microsoft.Extensions.Logging;
using Registry.Storage;

namespace Registry.Server.Maintenance;

/// <summary>
/// distribution's <c>PurgeUploads</c>: lists the uploads (<see cref="UploadLister"/>) and removes
/// those started before a cut-off. An upload without a readable <c>startedat</c> is aged by its last
/// change instead: distribution keeps such uploads forever, but a cancel (DELETE) or a purge that a
/// crash interrupted after <c>startedat</c> was gone leaves exactly that, and nothing else would
/// ever remove it (found by the long soak: a registry killed mid-DELETE). The server's background
/// purging and <c>regstore uploads purge</c> both run this.
/// </summary>
public sealed partial class UploadPurger(IStorageDriver driver, ILogger logger)
{
    /// <summary>Purges uploads started before <paramref name="olderThan"/>; with <paramref name="dryRun"/> only reports them.</summary>
    /// <returns>The uploads removed (or that would be).</returns>
    public async Task<IReadOnlyList<UploadInfo>> PurgeAsync(DateTimeOffset olderThan, bool dryRun, CancellationToken cancellationToken) =>
        await PurgeAsync(await new UploadLister(driver).ListAsync(cancellationToken), olderThan, dryRun, cancellationToken);

    /// <summary>Purges those of <paramref name="uploads"/> (already listed) started before <paramref name="olderThan"/>.</summary>
    internal async Task<IReadOnlyList<UploadInfo>> PurgeAsync(IReadOnlyList<UploadInfo> uploads, DateTimeOffset olderThan, bool dryRun, CancellationToken cancellationToken)
    {
        var purged = new List<UploadInfo>();
        foreach (var upload in uploads)
        {
            var startedAt = upload.StartedAt ?? upload.LastModified;
            if (upload.StartedAt is null)
            {
                LogNoStartTime(logger, upload.Path, upload.LastModified);
            }

            if (startedAt >= olderThan)
            {
                continue;
            }

            if (!dryRun)
            {
                try
                {
                    await driver.DeleteAsync(upload.Path, cancellationToken);
                }
                catch (PathNotFoundException)
                {
                    continue; // completed or purged meanwhile
                }
            }

            purged.Add(upload);
            LogPurged(logger, dryRun ? "would remove" : "removed", upload.Path, startedAt);
        }

        return purged;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "upload purge: {Action} {Path} (started {StartedAt:O})")]
    private static partial void LogPurged(ILogger logger, string action, string path, DateTimeOffset startedAt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "upload purge: {Path} has no readable start time; aged by its last change, {LastModified:O}")]
    private static partial void LogNoStartTime(ILogger logger, string path, DateTimeOffset lastModified);
}
