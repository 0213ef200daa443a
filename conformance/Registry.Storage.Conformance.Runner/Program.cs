using System.CommandLine;
using Registry.Storage.Conformance.Runner;

// regstore-conformance: the suite and the benchmarks, kept out of the host so the host ships no test framework.
// `regstore [global options] conformance …` and `regstore bench …` run this program with the same arguments.
var root = new RootCommand("regstore-conformance — the Registry.Storage conformance suite and driver benchmarks against any plugin folder.");
foreach (var (name, alias) in new[] { ("--config", "-c"), ("--plugins", null) })
{
    // The host's global options, accepted so a forwarded command line parses; a plugin folder is named by --plugin.
    var option = new Option<string?>(name) { Recursive = true, Hidden = true };
    if (alias is not null)
    {
        option.Aliases.Add(alias);
    }

    root.Options.Add(option);
}

var output = new Option<string>("--output", "-o") { Description = "Output format: text or JSON Lines.", Recursive = true, DefaultValueFactory = _ => "text" };
output.AcceptOnlyFromAmong("text", "json");
root.Options.Add(output);
root.Options.Add(new Option<bool>("--verbose", "-v") { Recursive = true, Hidden = true });
root.Options.Add(new Option<string[]>("--set") { Recursive = true, Hidden = true });
root.Subcommands.Add(ConformanceCommand.Create());
root.Subcommands.Add(BenchCommand.Create());

var parsed = root.Parse(args);
RunnerOutput.Json = OutputIsJson(parsed, output);
if (parsed.Errors.Count > 0)
{
    // Usage errors exit 2, as the host's do.
    foreach (var error in parsed.Errors)
    {
        await RunnerOutput.FailAsync(error.Message, ExitCodes.Usage).ConfigureAwait(false);
    }

    return ExitCodes.Usage;
}

return await parsed.InvokeAsync().ConfigureAwait(false);

// Errors of other options are still reported as JSON when --output json itself parsed.
static bool OutputIsJson(ParseResult parsed, Option<string> output)
{
    try
    {
        return parsed.GetValue(output) == "json";
    }
    catch (InvalidOperationException)
    {
        return false;
    }
}
