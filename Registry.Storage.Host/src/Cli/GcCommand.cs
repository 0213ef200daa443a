using System.CommandLine;
using System.Globalization;
using Registry.Server.Maintenance;

namespace Registry.Storage.Host.Cli;

/// <summary>
/// <c>regstore gc [--dry-run] [--delete-untagged] [--grace 1h]</c>: distribution's garbage-collect on
/// the configured driver (<see cref="GarbageCollector"/>). Text output names what it deletes as
/// distribution prints it (<c>blob eligible for deletion: sha256:…</c>); <c>--output json</c> writes
/// one JSON object per manifest and blob, then a summary.
/// </summary>
internal static class GcCommand
{
    public static Command Create()
    {
        var dryRun = new Option<bool>("--dry-run", "-d") { Description = "Only report what would be deleted." };
        var deleteUntagged = new Option<bool>("--delete-untagged", "-m") { Description = "Also delete manifests no tag points at (except entries of a kept index and referrers of a kept manifest)." };
        var grace = MaintenanceCli.DurationOption("--grace", "Never delete blobs, revisions or links newer than this before the mark started (pushes in progress). 0 = distribution's behaviour.", GarbageCollectionOptions.DefaultGrace);
        var parallelism = new Option<int>("--parallelism") { Description = "Storage requests in flight at once (manifest and tag reads, deletes).", DefaultValueFactory = _ => new GarbageCollectionOptions().Parallelism };
        parallelism.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 1)
            {
                r.AddError("--parallelism must be at least 1");
            }
        });
        var command = new Command("gc", "Garbage-collect blobs no manifest references, as distribution's registry garbage-collect, safely while pushes run. Example: regstore gc --dry-run") { dryRun, deleteUntagged, grace, parallelism };
        command.SetAction((result, ct) => MaintenanceCli.WithDriverAsync(result, async (session, driver) =>
        {
            var progress = MaintenanceCli.TerminalProgress(session, "gc");
            var options = new GarbageCollectionOptions
            {
                DryRun = result.GetValue(dryRun),
                DeleteUntagged = result.GetValue(deleteUntagged),
                Grace = result.GetValue(grace),
                Parallelism = result.GetValue(parallelism),
                Progress = progress,
            };
            var gc = await new GarbageCollector(driver).RunAsync(options, ct).ConfigureAwait(false);
            MaintenanceCli.EndProgress(progress);
            Write(session.Settings.Json, gc);
            return RegstoreCli.ExitOk;
        }, ct));
        return command;
    }

    private static void Write(bool json, GarbageCollectionResult gc)
    {
        var verb = gc.DryRun ? "eligible for deletion" : "deleted";
        foreach (var manifest in gc.Manifests)
        {
            if (json)
            {
                Output.Json(new { type = "manifest", repository = manifest.Repository, digest = manifest.Digest, tagIndexEntries = manifest.TagIndexEntries, deleted = !gc.DryRun });
            }
            else
            {
                Output.Stdout.WriteLine($"manifest {verb}: {manifest.Repository}@{manifest.Digest}");
            }
        }

        foreach (var blob in gc.Blobs)
        {
            if (json)
            {
                Output.Json(new { type = "blob", digest = blob.Digest, size = blob.Size, deleted = !gc.DryRun });
            }
            else
            {
                Output.Stdout.WriteLine($"blob {verb}: {blob.Digest}");
            }
        }

        if (json)
        {
            Output.Json(new
            {
                type = "summary",
                dryRun = gc.DryRun,
                repositories = gc.Repositories,
                marked = gc.Marked,
                blobsScanned = gc.BlobsScanned,
                manifests = gc.Manifests.Count,
                blobs = gc.Blobs.Count,
                bytesReclaimed = gc.BytesReclaimed,
                keptAsRecent = gc.KeptAsRecent.Count,
                rescued = gc.Rescued,
                layerLinksRemoved = gc.LayerLinksRemoved,
                markMs = (long)gc.MarkTime.TotalMilliseconds,
                sweepMs = (long)gc.SweepTime.TotalMilliseconds,
                phasesMs = gc.Phases.ToDictionary(p => p.Phase, p => (long)p.Time.TotalMilliseconds),
            });
            return;
        }

        Output.Stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{gc.Repositories} repositories, {gc.BlobsScanned} blobs: {gc.Marked} marked, {gc.Blobs.Count} blobs and {gc.Manifests.Count} manifests {verb} ({Output.Size(gc.BytesReclaimed)}){(gc.KeptAsRecent.Count > 0 ? $", {gc.KeptAsRecent.Count} unreferenced kept as newer than the grace period" : "")}{(gc.Rescued > 0 ? $", {gc.Rescued} referenced again during the run and kept" : "")}; mark {gc.MarkTime.TotalSeconds:0.00} s, sweep {gc.SweepTime.TotalSeconds:0.00} s"));
    }
}
