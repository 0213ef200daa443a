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
                    await Console.Error.WriteLineAsync($"regstore: --big-size expects a size such as 1GB, got '{size}'").ConfigureAwait(false);
                    return ExitCodes.Usage;
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

            Console.WriteLine($"bench: {loaded.Describe()}");
            try
            {
                var results = await ConformanceBenchmarks.RunAsync(loaded.CreateDriverAsync, options, Console.Out, ct).ConfigureAwait(false);
                if (result.GetValue(markdown) is { } file)
                {
                    await File.WriteAllTextAsync(file, ConformanceBenchmarks.ToMarkdown(results) + "\n", ct).ConfigureAwait(false);
                }
            }
            catch (ArgumentException ex)
            {
                await Console.Error.WriteLineAsync("regstore: " + ex.Message).ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
