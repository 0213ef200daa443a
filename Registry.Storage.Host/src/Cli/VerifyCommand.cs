using System.CommandLine;
using System.Globalization;
using Registry.Server.Maintenance;

namespace Registry.Storage.Host.Cli;

/// <summary>
/// <c>regstore verify [repo…]</c>: re-hash blobs and resolve every link (<see cref="RegistryVerifier"/>).
/// Each finding is one line (<c>error|notice kind path: detail</c>) or one JSON object as it is found;
/// exit 1 when any is an error.
/// </summary>
internal static class VerifyCommand
{
    public static Command Create()
    {
        var repositories = new Argument<string[]>("repository") { Description = "Only these repositories (default: the whole registry, with orphaned blobs).", Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("verify", "Re-hash every blob against its digest and check that every link resolves; exit 1 when something is wrong. Example: regstore verify library/alpine") { repositories };
        command.SetAction((result, ct) => MaintenanceCli.WithDriverAsync(result, async (session, driver) =>
        {
            var json = session.Settings.Json;
            var progress = MaintenanceCli.TerminalProgress(session, "verify");
            var options = new VerificationOptions
            {
                Repositories = result.GetValue(repositories) ?? [],
                Progress = progress,
                OnProblem = problem =>
                {
                    MaintenanceCli.EndProgress(progress);
                    if (json)
                    {
                        Output.Json(new { type = "problem", kind = problem.Kind, path = problem.Path, detail = problem.Detail, error = problem.IsError });
                    }
                    else
                    {
                        Output.Stdout.WriteLine($"{(problem.IsError ? "error" : "notice")} {problem.Kind} {problem.Path}: {problem.Detail}");
                    }
                },
            };
            var verified = await new RegistryVerifier(driver).RunAsync(options, ct).ConfigureAwait(false);
            MaintenanceCli.EndProgress(progress);
            var errors = verified.Problems.Count(p => p.IsError);
            if (json)
            {
                Output.Json(new
                {
                    type = "summary",
                    repositories = verified.Repositories,
                    links = verified.LinksChecked,
                    manifests = verified.ManifestsChecked,
                    blobs = verified.BlobsHashed,
                    bytes = verified.BytesHashed,
                    errors,
                    notices = verified.Problems.Count - errors,
                    ms = (long)verified.Elapsed.TotalMilliseconds,
                });
            }
            else
            {
                Output.Stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{verified.Repositories} repositories, {verified.LinksChecked} links, {verified.ManifestsChecked} manifests, {verified.BlobsHashed} blobs ({Output.Size(verified.BytesHashed)}) checked in {verified.Elapsed.TotalSeconds:0.00} s: {errors} errors, {verified.Problems.Count - errors} notices"));
            }

            return errors > 0 ? RegstoreCli.ExitFailed : RegstoreCli.ExitOk;
        }, ct));
        return command;
    }
}
