using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Registry.Storage.Hosting.Configuration;
using Registry.Storage.Hosting.Decorators;
using Registry.Storage.Hosting.Migration;

namespace Registry.Storage.Host.Cli;

/// <summary>
/// <c>regstore migrate</c> and <c>regstore copy</c>: stream a tree from one configured driver to
/// another (<see cref="TreeMigrator"/>), resumable, verified, immutable unless told otherwise.
/// </summary>
/// <remarks>
/// Exit codes: 0 done; 1 retryable (transient failures or an interruption: run the same
/// command again to resume); 2 usage or configuration; 4 needs a decision (files that
/// differ at the destination without <c>--overwrite</c>, a corrupt source blob, a permanent
/// backend error): re-running alone will not fix it.
/// </remarks>
internal static class MigrateCommand
{
    /// <summary>Differences or fatal failures: re-running alone will not help.</summary>
    public const int ExitNeedsAttention = 4;

    public static readonly string ReadOnlyWarning =
        "regstore: warning: the source registry must be read-only while this runs (as for garbage collection): pushes and deletes during the copy may be missed or fail verification.";

    internal sealed record Shared(Option<string> From, Option<string> To, Option<int> Checkers, Option<string[]> Include, Option<string[]> Exclude)
    {
        public static Shared Create() => new(
            new Option<string>("--from") { Description = "Configuration file (YAML or JSON, distribution's storage: section) of the source.", Required = true },
            new Option<string>("--to") { Description = "Configuration file of the destination.", Required = true },
            new Option<int>("--checkers") { Description = "Destination lookups at once.", DefaultValueFactory = _ => 8, CustomParser = WholeNumbers.AtLeast(1) },
            new Option<string[]>("--include") { Description = "Only paths matching this glob (repeatable; * within a segment, ** across).", AllowMultipleArgumentsPerToken = false },
            new Option<string[]>("--exclude") { Description = "Leave out paths matching this glob (repeatable)." });

        public void AddTo(Command command)
        {
            command.Options.Add(From);
            command.Options.Add(To);
            command.Options.Add(Checkers);
            command.Options.Add(Include);
            command.Options.Add(Exclude);
        }
    }

    public static Command CreateMigrate() => Build("migrate");

    public static Command CreateCopy() => Build("copy");

    private static Command Build(string name)
    {
        var shared = Shared.Create();
        var prefix = new Option<string>("--prefix") { Description = "The tree to migrate.", DefaultValueFactory = _ => "/docker/registry/v2" };
        var path = new Argument<string>("path") { Description = "The sub-tree to copy, e.g. /docker/registry/v2/repositories/library." };
        var transfers = new Option<int>("--transfers") { Description = "Files streamed at once.", DefaultValueFactory = _ => 4, CustomParser = WholeNumbers.AtLeast(1) };
        var overwrite = new Option<bool>("--overwrite") { Description = "Replace destination files that differ (registry content is immutable, so a difference is an error by default)." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Report what would be copied; write nothing." };
        var bwlimit = new Option<string?>("--bwlimit") { Description = "Read at most this many bytes per second in total, e.g. 50MB." };
        var noVerify = new Option<bool>("--no-verify") { Description = "Skip reading each copied file back to compare its SHA-256 (sizes and source digests are still checked)." };
        var command = name == "migrate"
            ? new Command("migrate", "Copy a whole registry tree from one configured driver to another, through the drivers: parallel, resumable, verified by SHA-256. The source must be read-only meanwhile. Example: regstore migrate --from fs.yaml --to s3.yaml --transfers 8")
            : new Command("copy", "Copy a sub-tree between two configured drivers, as migrate does. Example: regstore copy --from fs.yaml --to s3.yaml /docker/registry/v2/repositories/library");
        shared.AddTo(command);
        if (name == "migrate")
        {
            command.Options.Add(prefix);
        }
        else
        {
            command.Arguments.Add(path);
        }

        command.Options.Add(transfers);
        command.Options.Add(overwrite);
        command.Options.Add(dryRun);
        command.Options.Add(bwlimit);
        command.Options.Add(noVerify);
        command.SetAction((result, ct) => RegstoreCli.WithSessionAsync(result, async session =>
        {
            long limit = 0;
            if (result.GetValue(bwlimit) is { } text && (!ByteSize.TryParse(text, out limit) || limit <= 0))
            {
                await Console.Error.WriteLineAsync($"regstore: --bwlimit expects a size per second such as 50MB, got '{text}'").ConfigureAwait(false);
                return RegstoreCli.ExitUsage;
            }

            var options = new MigrationOptions
            {
                Prefix = name == "migrate" ? result.GetValue(prefix)! : result.GetValue(path)!,
                Transfers = result.GetValue(transfers),
                Checkers = result.GetValue(shared.Checkers),
                Overwrite = result.GetValue(overwrite),
                DryRun = result.GetValue(dryRun),
                VerifyAfterCopy = !result.GetValue(noVerify),
                Include = result.GetValue(shared.Include) ?? [],
                Exclude = result.GetValue(shared.Exclude) ?? [],
                BandwidthLimit = limit,
            };
            if (options.Transfers < 1 || options.Checkers < 1)
            {
                await Console.Error.WriteLineAsync("regstore: --transfers and --checkers must be at least 1").ConfigureAwait(false);
                return RegstoreCli.ExitUsage;
            }

            await Console.Error.WriteLineAsync(ReadOnlyWarning).ConfigureAwait(false);
            var source = await OpenAsync(session, result.GetValue(shared.From)!, ct).ConfigureAwait(false);
            var destination = await OpenAsync(session, result.GetValue(shared.To)!, ct).ConfigureAwait(false);
            var migrator = new TreeMigrator(source, destination, options);
            MigrationSummary summary;
            await using (new ProgressReporter(() => migrator.Progress, session.Settings.Json).ConfigureAwait(false))
            {
                summary = await migrator.MigrateAsync(ct).ConfigureAwait(false);
            }

            return Report(name + (options.DryRun ? " (dry run)" : ""), options.Prefix, summary, session.Settings.Json);
        }, ct));
        return command;
    }

    /// <summary>Creates the driver a configuration file selects, with the decorators it configures.</summary>
    internal static async Task<IStorageDriver> OpenAsync(HostSession session, string configFile, CancellationToken cancellationToken)
    {
        var configuration = StorageConfiguration.Build(configFile);
        _ = StorageConfiguration.Select(configuration)
            ?? throw new InvalidOperationException($"{Path.GetFullPath(configFile)} has no storage section: expected storage: {{ <driver>: {{ ... }} }}");
        var configured = await session.Host.CreateDriverAsync(configuration, Path.GetFullPath(configFile), cancellationToken).ConfigureAwait(false);
        return configured.Driver;
    }

    /// <summary>Prints the summary and problems; returns the exit code the outcome calls for.</summary>
    internal static int Report(string what, string prefix, MigrationSummary summary, bool json)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var checking = what.StartsWith("check", StringComparison.Ordinal);
        var exitCode =
            summary.Count(FileOutcome.FailedFatal) > 0 || summary.Count(FileOutcome.Differing) > 0 || summary.Count(FileOutcome.Extra) > 0 ? ExitNeedsAttention
            : summary.Count(FileOutcome.FailedRetryable) > 0 || summary.Interrupted ? RegstoreCli.ExitFailed
            : checking && summary.Count(FileOutcome.Missing) > 0 ? ExitNeedsAttention
            : RegstoreCli.ExitOk;
        var rate = summary.Elapsed.TotalSeconds > 0 ? summary.BytesTransferred / summary.Elapsed.TotalSeconds : 0;
        if (json)
        {
            foreach (var problem in summary.Problems)
            {
                Output.Stdout.WriteLine(JsonSerializer.Serialize(new { type = "file", path = problem.Path, outcome = Name(problem.Outcome, checking), size = problem.Size, detail = problem.Detail }));
            }

            Output.Stdout.WriteLine(JsonSerializer.Serialize(new
            {
                type = "summary",
                command = what,
                prefix,
                files = summary.Files.ToDictionary(kv => Name(kv.Key, checking), kv => kv.Value),
                bytes = summary.Bytes.ToDictionary(kv => Name(kv.Key, checking), kv => kv.Value),
                bytesTransferred = summary.BytesTransferred,
                elapsedSeconds = Math.Round(summary.Elapsed.TotalSeconds, 2),
                bytesPerSecond = Math.Round(rate),
                interrupted = summary.Interrupted,
                exitCode,
            }));
            return exitCode;
        }

        foreach (var problem in summary.Problems)
        {
            Output.Stdout.WriteLine($"{Name(problem.Outcome, checking),-16} {problem.Path}{(problem.Detail is null ? "" : ": " + problem.Detail)}");
        }

        var counts = string.Join(", ", Enum.GetValues<FileOutcome>()
            .Where(o => summary.Count(o) > 0)
            .Select(o => string.Create(CultureInfo.InvariantCulture, $"{Name(o, checking)} {summary.Count(o)} ({Output.Size(summary.Bytes.GetValueOrDefault(o))})")));
        Output.Stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{what} {prefix}: {(counts.Length == 0 ? "no files" : counts)}; streamed {Output.Size(summary.BytesTransferred)} in {summary.Elapsed.TotalSeconds:0.0} s ({Output.Size((long)rate)}/s){(summary.Interrupted ? "; INTERRUPTED: run it again to resume" : "")}"));
        if (exitCode == RegstoreCli.ExitFailed && !summary.Interrupted)
        {
            Output.Stdout.WriteLine("some files failed with retryable errors: run the same command again to resume");
        }

        return exitCode;
    }

    // check calls a file that is already equal "equal"; migrate "skipped".
    private static string Name(FileOutcome outcome, bool checking) => outcome switch
    {
        FileOutcome.Skipped when checking => "equal",
        FileOutcome.FailedRetryable => "failed-retryable",
        FileOutcome.FailedFatal => "failed-fatal",
        _ => outcome.ToString().ToLowerInvariant(),
    };
}
