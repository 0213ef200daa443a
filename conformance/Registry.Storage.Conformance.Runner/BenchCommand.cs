using System.CommandLine;
using Registry.Storage.Conformance;

namespace Registry.Storage.Conformance.Runner;

/// <summary>
/// <c>regstore bench --plugin &lt;folder&gt;</c>: distribution's driver benchmarks (and a
/// 10 000-file Walk) against a plugin loaded as production loads it.
/// </summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var plugin = ConformanceCommand.PluginOption();
        var driver = ConformanceCommand.DriverOption();
        var parameters = ConformanceCommand.ParamOption();
        var only = new Option<string[]>("--only") { Description = $"Run only these benchmarks: {string.Join(", ", ConformanceBenchmarks.Names)}.", AllowMultipleArgumentsPerToken = true };
        only.AcceptOnlyFromAmong([.. ConformanceBenchmarks.Names]);
        var bigSize = new Option<string?>("--big-size") { Description = "Size of PutGet1GB and Stream1GB (default 1GiB)." };
        var walkFiles = new Option<int?>("--walk-files") { Description = "Files in the Walk benchmark (default 10000)." };
        var markdown = new Option<string?>("--markdown") { Description = "Also write the results as a Markdown table to this file." };
        var command = new Command("bench", "Run the driver benchmarks against a plugin folder. Example: regstore bench --plugin artifacts/regstore/plugins/filesystem --only Stream1GB Walk")
        {
            plugin, driver, parameters, only, bigSize, walkFiles, markdown,
        };
        command.SetAction(async (result, ct) =>
        {
            var options = new ConformanceBenchmarkOptions { Only = result.GetValue(only) };
            if (result.GetValue(bigSize) is { } size)
            {
                if (!ByteSize.TryParse(size, out var bytes) || bytes <= 0)
                {
                    return await RunnerOutput.FailAsync($"--big-size expects a size such as 1GB, got '{size}'", ExitCodes.Usage).ConfigureAwait(false);
                }

                options = options with { BigSize = bytes };
            }

            if (result.GetValue(walkFiles) is { } files)
            {
                options = options with { WalkFileCount = files };
            }

            var (loaded, exitCode) = await PluginUnderTest.LoadAsync(result.GetValue(plugin)!, result.GetValue(driver), result.GetValue(parameters) ?? []).ConfigureAwait(false);
            if (loaded is null)
            {
                return exitCode;
            }

            // Under --output json stdout carries only the JSON Lines; progress goes to stderr.
            var progress = RunnerOutput.Json ? Console.Error : Console.Out;
            progress.WriteLine($"bench: {loaded.Describe()}");
            try
            {
                var results = await ConformanceBenchmarks.RunAsync(loaded.CreateDriverAsync, options, progress, ct).ConfigureAwait(false);
                if (RunnerOutput.Json)
                {
                    foreach (var r in results)
                    {
                        RunnerOutput.Record(Console.Out, new
                        {
                            type = "benchmark",
                            driver = loaded.Factory.Name,
                            name = r.Name,
                            operations = r.Operations,
                            seconds = r.Elapsed.TotalSeconds,
                            bytesPerOperation = r.BytesPerOperation,
                            operationsPerSecond = r.OperationsPerSecond,
                            mebibytesPerSecond = r.MebibytesPerSecond,
                            allocatedBytesPerOperation = r.AllocatedBytesPerOperation,
                            peakWorkingSetBytes = r.PeakWorkingSetBytes,
                        });
                    }
                }

                if (result.GetValue(markdown) is { } file)
                {
                    await File.WriteAllTextAsync(file, ConformanceBenchmarks.ToMarkdown(results) + "\n", ct).ConfigureAwait(false);
                }
            }
            catch (ArgumentException ex)
            {
                return await RunnerOutput.FailAsync(ex.Message, ExitCodes.Usage).ConfigureAwait(false);
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
