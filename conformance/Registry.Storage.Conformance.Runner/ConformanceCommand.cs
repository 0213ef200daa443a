using System.CommandLine;
using Registry.Storage.Conformance;

namespace Registry.Storage.Conformance.Runner;

/// <summary>
/// <c>regstore conformance --plugin &lt;folder&gt;</c>: loads a plugin folder exactly as the
/// host does in production and runs the whole suite against it, each fixture under a fresh
/// random root. Parameters come from <c>--param key=value</c> and from
/// <c>REGSTORE_TEST_&lt;DRIVER&gt;_&lt;PARAM&gt;</c> environment variables.
/// </summary>
internal static class ConformanceCommand
{
    internal static Option<string> PluginOption() => new("--plugin") { Description = "The plugin folder to test (its DLL, .deps.json and dependencies).", Required = true };

    internal static Option<string?> DriverOption() => new("--driver") { Description = "The driver name, when the plugin registers more than one." };

    internal static Option<string[]> ParamOption() => new("--param", "-p") { Description = "A driver parameter as key=value (repeatable); overrides REGSTORE_TEST_<DRIVER>_<KEY>." };

    public static Command Create()
    {
        var plugin = PluginOption();
        var driver = DriverOption();
        var parameters = ParamOption();
        var filter = new Option<string?>("--filter") { Description = "Run only tests whose name matches this regular expression (e.g. 'Walk|Move')." };
        var junit = new Option<string?>("--junit") { Description = "Write a JUnit XML report to this file." };
        var largeSize = new Option<string?>("--large-stream-size") { Description = "Size of WriteReadLargeStreams (default 5GiB, or REGSTORE_CONFORMANCE_LARGE_STREAM_SIZE)." };
        var command = new Command("conformance", "Run the storage-driver conformance suite against a plugin folder, as a third party would. Example: regstore conformance --plugin plugins/s3 -p bucket=test -p regionendpoint=http://127.0.0.1:7480")
        {
            plugin, driver, parameters, filter, junit, largeSize,
        };
        command.SetAction(async (result, ct) =>
        {
            var options = ConformanceOptions.FromEnvironment();
            if (result.GetValue(largeSize) is { } size)
            {
                if (!ByteSize.TryParse(size, out var bytes) || bytes <= 0)
                {
                    return await RunnerOutput.FailAsync($"--large-stream-size expects a size such as 1GB, got '{size}'", ExitCodes.Usage).ConfigureAwait(false);
                }

                options = options with { LargeStreamSize = bytes };
            }

            var (loaded, exitCode) = await PluginUnderTest.LoadAsync(result.GetValue(plugin)!, result.GetValue(driver), result.GetValue(parameters) ?? []).ConfigureAwait(false);
            if (loaded is null)
            {
                // The closing line still counts the load failure, so a CI log shows it as a failed run.
                WriteSummary(new ConformanceSummary(0, 1, 0));
                return exitCode;
            }

            if (RunnerOutput.Json)
            {
                RunnerOutput.Record(Console.Out, new { type = "run", driver = loaded.Factory.Name, plugin = loaded.Plugin.Folder, description = loaded.Describe(), largeStreamBytes = options.LargeStreamSize });
            }
            else
            {
                Console.WriteLine($"conformance: {loaded.Describe()}; large stream {ByteSize.Format(options.LargeStreamSize)}");
            }

            var summary = ConformanceRunner.Run(loaded.CreateDriverAsync, result.GetValue(filter), result.GetValue(junit), Console.Out, options, RunnerOutput.Json);
            WriteSummary(summary);
            return summary.Failed == 0 ? ExitCodes.Ok : ExitCodes.Plugin;
        });
        return command;
    }

    private static void WriteSummary(ConformanceSummary summary)
    {
        if (RunnerOutput.Json)
        {
            RunnerOutput.Record(Console.Out, new { type = "summary", passed = summary.Passed, failed = summary.Failed, skipped = summary.Skipped });
        }
        else
        {
            Console.WriteLine(summary.ToString());
        }
    }
}
