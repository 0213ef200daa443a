using System.CommandLine;
using Microsoft.Extensions.Logging;
using Registry.Server.Maintenance;

namespace Registry.Storage.Host.Cli;

/// <summary><c>regstore uploads ls</c> and <c>regstore uploads purge --older-than 168h [--dry-run]</c> over distribution's <c>_uploads/</c>.</summary>
internal static class UploadsCommand
{
    public static Command Create()
    {
        var command = new Command("uploads", "List or purge the registry's uploads in progress (repositories/<name>/_uploads). Example: regstore uploads purge --older-than 168h --dry-run");
        command.Subcommands.Add(List());
        command.Subcommands.Add(Purge());
        return command;
    }

    private static Command List()
    {
        var command = new Command("ls", "List uploads: repository, id, started at, size.");
        command.SetAction((result, ct) => MaintenanceCli.WithDriverAsync(result, async (session, driver) =>
        {
            foreach (var upload in await new UploadLister(driver).ListAsync(ct).ConfigureAwait(false))
            {
                Write(session.Settings.Json, upload, null);
            }

            return RegstoreCli.ExitOk;
        }, ct));
        return command;
    }

    private static Command Purge()
    {
        var olderThan = MaintenanceCli.DurationOption("--older-than", "Remove uploads started longer ago than this (distribution's uploadpurging age, e.g. 168h).", null);
        var dryRun = new Option<bool>("--dry-run", "-d") { Description = "Only list what would be removed." };
        var command = new Command("purge", "Remove uploads started before now − --older-than; uploads without a start time are kept, as distribution does.") { olderThan, dryRun };
        command.SetAction((result, ct) => MaintenanceCli.WithDriverAsync(result, async (session, driver) =>
        {
            var dry = result.GetValue(dryRun);
            var logger = session.LoggerFactory.CreateLogger("regstore.uploads");
            var purged = await new UploadPurger(driver, logger).PurgeAsync(DateTimeOffset.UtcNow - result.GetValue(olderThan), dry, ct).ConfigureAwait(false);
            foreach (var upload in purged)
            {
                Write(session.Settings.Json, upload, dry ? "would remove" : "removed");
            }

            if (!session.Settings.Json)
            {
                Output.Stdout.WriteLine($"{purged.Count} uploads {(dry ? "would be removed" : "removed")} ({Output.Size(purged.Sum(u => u.Size))})");
            }

            return RegstoreCli.ExitOk;
        }, ct));
        return command;
    }

    private static void Write(bool json, UploadInfo upload, string? action)
    {
        if (json)
        {
            Output.Json(new { type = "upload", repository = upload.Repository, id = upload.Id, path = upload.Path, startedAt = upload.StartedAt, size = upload.Size, lastModified = upload.LastModified, action });
        }
        else
        {
            Output.Stdout.WriteLine($"{(action is null ? "" : action + " ")}{upload.Repository} {upload.Id} started {(upload.StartedAt is { } s ? Output.Time(s) : "unknown")} {Output.Size(upload.Size)}");
        }
    }
}
