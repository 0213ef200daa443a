using System.CommandLine;
using Registry.Storage.Hosting.Migration;

namespace Registry.Storage.Host.Cli;

/// <summary>
/// <c>regstore check --from --to</c>: compares two trees (missing, differing, extra) without
/// copying, in migrate's report format. Exit codes: 0 identical; 1 some files could not be
/// compared (retryable); 2 usage; 4 differences found.
/// </summary>
internal static class CheckCommand
{
    public static Command Create()
    {
        var shared = MigrateCommand.Shared.Create();
        var prefix = new Option<string>("--prefix") { Description = "The tree to compare.", DefaultValueFactory = _ => "/docker/registry/v2" };
        var command = new Command("check", "Compare a tree at two configured drivers (missing, differing, extra files) without copying. Example: regstore check --from fs.yaml --to s3.yaml");
        shared.AddTo(command);
        command.Options.Add(prefix);
        command.SetAction((result, ct) => RegstoreCli.WithSessionAsync(result, async session =>
        {
            var options = new MigrationOptions
            {
                Prefix = result.GetValue(prefix)!,
                Checkers = Math.Max(1, result.GetValue(shared.Checkers)),
                Include = result.GetValue(shared.Include) ?? [],
                Exclude = result.GetValue(shared.Exclude) ?? [],
            };
            var source = await MigrateCommand.OpenAsync(session, result.GetValue(shared.From)!, ct).ConfigureAwait(false);
            var destination = await MigrateCommand.OpenAsync(session, result.GetValue(shared.To)!, ct).ConfigureAwait(false);
            var checker = new TreeMigrator(source, destination, options);
            MigrationSummary summary;
            await using (new ProgressReporter(() => checker.Progress, session.Settings.Json).ConfigureAwait(false))
            {
                summary = await checker.CheckAsync(ct).ConfigureAwait(false);
            }

            return MigrateCommand.Report("check", options.Prefix, summary, session.Settings.Json);
        }, ct));
        return command;
    }
}
