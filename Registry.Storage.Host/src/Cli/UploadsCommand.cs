using System.CommandLine;
using Microsoft.Extensions.Logging;
using Registry.Server.Maintenance;

namespace Registry.Storage.Host.Cli;

/// <summary>
/// <c>regstore uploads ls</c> and <c>regstore uploads purge --older-than 168h [--dry-run]</c> over both
/// kinds of upload in progress: the registry's (<c>repositories/&lt;name&gt;/_uploads/&lt;id&gt;</c>) and
/// the driver's own — what a writer left uncommitted elsewhere, such as an interrupted <c>regstore put</c>.
/// </summary>
internal static class UploadsCommand
{
    private const string Registry = "registry";
    private const string Driver = "driver";

    public static Command Create()
    {
        var command = new Command("uploads",
            "List or purge uploads in progress: the registry's (repositories/<name>/_uploads) and the driver's own uncommitted uploads (an interrupted put, say). Example: regstore uploads purge --older-than 168h --dry-run");
        command.Subcommands.Add(List());
        command.Subcommands.Add(Purge());
        return command;
    }

    private static Command List()
    {
        var command = new Command("ls", "List uploads, each line saying its kind: registry (repository, id, started at, size) or driver (path, last change, size).");
        command.SetAction((result, ct) => MaintenanceCli.WithDriverAsync(result, async (session, driver) =>
        {
            var uploads = await new PendingUploadLister(driver).ListAsync(ct).ConfigureAwait(false);
            await WarnIfUnlistedAsync(driver, uploads.DriverListsUploads).ConfigureAwait(false);
            foreach (var upload in uploads.Registry)
            {
                Write(session.Settings.Json, upload, null);
            }

            foreach (var upload in uploads.Driver)
            {
                Write(session.Settings.Json, upload, null);
            }

            if (!session.Settings.Json)
            {
                Output.Stdout.WriteLine($"{Count(uploads.Registry.Count, uploads.Registry.Sum(u => u.Size))} of the registry, {Count(uploads.Driver.Count, uploads.Driver.Sum(u => u.Size))} of the {driver.Name} driver");
            }

            return RegstoreCli.ExitOk;
        }, ct));
        return command;
    }

    private static Command Purge()
    {
        var olderThan = MaintenanceCli.DurationOption("--older-than", "Remove registry uploads started, and driver uploads last changed, longer ago than this (distribution's uploadpurging age, e.g. 168h).", null);
        var dryRun = new Option<bool>("--dry-run", "-d") { Description = "Only list what would be removed." };
        var command = new Command("purge",
            "Remove uploads from before now − --older-than: the registry's by their start time (or, without one, their last change), the driver's by their last change (discarded; committed content at their path stays).")
        {
            olderThan, dryRun,
        };
        command.SetAction((result, ct) => MaintenanceCli.WithDriverAsync(result, async (session, driver) =>
        {
            var dry = result.GetValue(dryRun);
            var logger = session.LoggerFactory.CreateLogger("regstore.uploads");
            var purge = await new PendingUploadPurger(driver, logger).PurgeAsync(DateTimeOffset.UtcNow - result.GetValue(olderThan), dry, ct).ConfigureAwait(false);
            await WarnIfUnlistedAsync(driver, purge.DriverListsUploads).ConfigureAwait(false);
            var action = dry ? "would remove" : "removed";
            foreach (var upload in purge.Registry)
            {
                Write(session.Settings.Json, upload, action);
            }

            foreach (var upload in purge.Driver)
            {
                Write(session.Settings.Json, upload, action);
            }

            foreach (var (upload, error) in purge.Failed)
            {
                await Console.Error.WriteLineAsync($"regstore: could not discard the driver's upload at {upload.Path}: {error.Message}").ConfigureAwait(false);
            }

            var registryBytes = purge.Registry.Sum(u => u.Size);
            var driverBytes = purge.Driver.Sum(u => u.Size);
            if (session.Settings.Json)
            {
                Output.Json(new
                {
                    type = "summary",
                    dryRun = dry,
                    removed = purge.Registry.Count + purge.Driver.Count,
                    bytes = registryBytes + driverBytes,
                    registry = new { count = purge.Registry.Count, bytes = registryBytes },
                    driver = new { count = purge.Driver.Count, bytes = driverBytes, failed = purge.Failed.Count },
                });
            }
            else
            {
                Output.Stdout.WriteLine(
                    $"{purge.Registry.Count + purge.Driver.Count} uploads {(dry ? "would be removed" : "removed")} ({Output.Size(registryBytes + driverBytes)}): "
                    + $"{Count(purge.Registry.Count, registryBytes)} of the registry, {Count(purge.Driver.Count, driverBytes)} of the {driver.Name} driver"
                    + (purge.Failed.Count > 0 ? $"; {purge.Failed.Count} could not be discarded" : ""));
            }

            return purge.Failed.Count > 0 ? RegstoreCli.ExitFailed : RegstoreCli.ExitOk;
        }, ct));
        return command;
    }

    // A plugin built against contract 1.1 cannot list its own uploads: say so once, on stderr.
    private static async Task WarnIfUnlistedAsync(IStorageDriver driver, bool listed)
    {
        if (!listed)
        {
            await Console.Error.WriteLineAsync($"regstore: warning: the {driver.Name} driver cannot list its own uncommitted uploads (a plugin built before contract 1.2); only the registry's uploads are shown").ConfigureAwait(false);
        }
    }

    private static string Count(int count, long bytes) => $"{count} ({Output.Size(bytes)})";

    private static void Write(bool json, UploadInfo upload, string? action)
    {
        if (json)
        {
            Output.Json(new { type = "upload", kind = Registry, repository = upload.Repository, id = upload.Id, path = upload.Path, startedAt = upload.StartedAt, size = upload.Size, lastModified = upload.LastModified, action });
        }
        else
        {
            Output.Stdout.WriteLine($"{(action is null ? "" : action + " ")}{Registry} {upload.Repository} {upload.Id} started {(upload.StartedAt is { } s ? Output.Time(s) : "unknown")} {Output.Size(upload.Size)}");
        }
    }

    private static void Write(bool json, PendingUpload upload, string? action)
    {
        var known = upload.LastModified != DateTimeOffset.MinValue;
        if (json)
        {
            Output.Json(new { type = "upload", kind = Driver, path = upload.Path, size = upload.Size, lastModified = known ? upload.LastModified : (DateTimeOffset?)null, action });
        }
        else
        {
            Output.Stdout.WriteLine($"{(action is null ? "" : action + " ")}{Driver} {upload.Path} modified {(known ? Output.Time(upload.LastModified) : "unknown")} {Output.Size(upload.Size)}");
        }
    }
}
