using System.CommandLine;
using Registry.Storage.Conformance.Runner;

// regstore-conformance: the suite and the benchmarks, kept out of the host so the host ships no test framework.
// `regstore conformance …` and `regstore bench …` run this program with the same arguments.
var root = new RootCommand("regstore-conformance — the Registry.Storage conformance suite and driver benchmarks against any plugin folder.");
foreach (var global in new[] { "--config", "--plugins", "--output" })
{
    // Accepted (and ignored) so `regstore [global options] conformance …` forwards unchanged.
    root.Options.Add(new Option<string?>(global) { Recursive = true, Hidden = true });
}

root.Options.Add(new Option<bool>("--verbose") { Recursive = true, Hidden = true });
root.Subcommands.Add(ConformanceCommand.Create());
root.Subcommands.Add(BenchCommand.Create());
return await root.Parse(args).InvokeAsync().ConfigureAwait(false);
