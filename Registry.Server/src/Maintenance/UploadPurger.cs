using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Registry.Server.Layout;
using Registry.Storage;

namespace Registry.Server.Maintenance;

/// <summary>
/// distribution's <c>PurgeUploads</c>: walks the repositories, reads each upload's
/// <c>startedat</c>, and removes upload directories started before a cut-off. An upload
/// without <c>startedat</c> is kept (its age is unknown), as in distribution.
/// </summary>
internal sealed partial class UploadPurger(IStorageDriver driver, ILogger logger)
{
    /// <summary>Purges uploads started before <paramref name="olderThan"/>; with <paramref name="dryRun"/> only reports them.</summary>
    /// <returns>The upload directories removed (or that would be).</returns>
    public async Task<IReadOnlyList<string>> PurgeAsync(DateTimeOffset olderThan, bool dryRun, CancellationToken cancellationToken)
    {
        var startedAtFiles = new List<string>();
        try
        {
            await driver.WalkAsync(RegistryPaths.Repositories, (entry, _) =>
            {
                if (!entry.IsDirectory && StoragePath.Name(entry.Path) == "startedat" && StoragePath.Name(StoragePath.Parent(StoragePath.Parent(entry.Path))) == "_uploads")
                {
                    startedAtFiles.Add(entry.Path);
                }

                var leaf = StoragePath.Name(entry.Path);
                var skip = entry.IsDirectory && leaf is "_layers" or "_manifests" or "_referrers";
                return ValueTask.FromResult(skip ? WalkDecision.SkipDirectory : WalkDecision.Continue);
            }, null, cancellationToken);
        }
        catch (PathNotFoundException)
        {
            return [];
        }

        var purged = new List<string>();
        foreach (var file in startedAtFiles)
        {
            var directory = StoragePath.Parent(file);
            DateTimeOffset startedAt;
            try
            {
                var text = Encoding.UTF8.GetString(await driver.GetContentAsync(file, cancellationToken)).Trim();
                startedAt = DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
            }
            catch (Exception e) when (e is FormatException or PathNotFoundException)
            {
                logger.LogWarning("upload purge: {Path} has no readable start time; kept", file);
                continue;
            }

            if (startedAt >= olderThan)
            {
                continue;
            }

            if (!dryRun)
            {
                try
                {
                    await driver.DeleteAsync(directory, cancellationToken);
                }
                catch (PathNotFoundException)
                {
                    continue; // completed or purged meanwhile
                }
            }

            purged.Add(directory);
            LogPurged(logger, dryRun ? "would remove" : "removed", directory, startedAt);
        }

        return purged;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "upload purge: {Action} {Path} (started {StartedAt:O})")]
    private static partial void LogPurged(ILogger logger, string action, string path, DateTimeOffset startedAt);
}
