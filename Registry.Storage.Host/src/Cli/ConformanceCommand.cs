using System.CommandLine;
using Registry.Storage.Conformance;
using Registry.Storage.Conformance.Runner;
using Registry.Storage.Host.Plugins;

namespace Registry.Storage.Host.Cli;

/// <summary>
/// <c>regstore conformance --plugin &lt;folder&gt;</c>: loads a plugin folder exactly as the
/// host does in production and runs the whole suite against it, each run under a fresh
/// random root. Parameters come from <c>--param key=value</c> and from
/// <c>REGSTORE_TEST_&lt;DRIVER&gt;_&lt;PARAM&gt;</c> environment variables.
/// </summary>
internal static class ConformanceCommand
{
    public static Command Create()
    {
        var plugin = new Option<string>("--plugin") { Description = "The plugin folder to test (its DLL, .deps.json and dependencies).", Required = true };
        var driver = new Option<string?>("--driver") { Description = "The driver name, when the plugin registers more than one." };
        var parameters = new Option<string[]>("--param", "-p") { Description = "A driver parameter as key=value (repeatable); overrides REGSTORE_TEST_<DRIVER>_<KEY>.", AllowMultipleArgumentsPerToken = false };
        var filter = new Option<string?>("--filter") { Description = "Run only tests whose name matches this regular expression (e.g. 'Walk|Move')." };
        var junit = new Option<string?>("--junit") { Description = "Write a JUnit XML report to this file." };
        var largeSize = new Option<string?>("--large-stream-size") { Description = "Size of WriteReadLargeStreams (default 5GiB, or REGSTORE_CONFORMANCE_LARGE_STREAM_SIZE)." };
        var command = new Command("conformance", "Run the storage-driver conformance suite against a plugin folder, as a third party would. Example: regstore conformance --plugin plugins/s3 -p bucket=test -p regionendpoint=http://127.0.0.1:7480")
        {
            plugin, driver, parameters, filter, junit, largeSize,
        };
        command.SetAction(async (result, ct) =>
        {
            var registry = new DriverRegistry();
            var loaded = new PluginScanner().Load(result.GetValue(plugin)!, registry);
            if (loaded.Status == PluginStatus.Failed)
            {
                await Console.Error.WriteLineAsync($"regstore: plugin {loaded.Folder} failed to load: {loaded.Error}").ConfigureAwait(false);
                Console.WriteLine("0 passed, 1 failed, 0 skipped");
                return RegstoreCli.ExitPlugin;
            }

            var name = result.GetValue(driver) ?? (loaded.Factories.Count == 1 ? loaded.Factories[0].Name : null);
            if (name is null || registry.Find(name) is not { } factory)
            {
                await Console.Error.WriteLineAsync($"regstore: choose a driver with --driver: the plugin registers {string.Join(", ", loaded.DriverNames)}").ConfigureAwait(false);
                return RegstoreCli.ExitUsage;
            }

            var values = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
            foreach (var (key, value) in ConformanceEnvironment.ParametersFor(factory.Name) ?? Enumerable.Empty<KeyValuePair<string, object?>>())
            {
                values[key] = value;
            }

            foreach (var pair in result.GetValue(parameters) ?? [])
            {
                var equals = pair.IndexOf('=', StringComparison.Ordinal);
                if (equals <= 0)
                {
                    await Console.Error.WriteLineAsync($"regstore: --param expects key=value, got '{pair}'").ConfigureAwait(false);
                    return RegstoreCli.ExitUsage;
                }

                values[pair[..equals]] = pair[(equals + 1)..];
            }

            var options = ConformanceOptions.FromEnvironment();
            if (result.GetValue(largeSize) is { } size)
            {
                if (!ByteSize.TryParse(size, out var bytes) || bytes <= 0)
                {
                    await Console.Error.WriteLineAsync($"regstore: --large-stream-size expects a size such as 1GB, got '{size}'").ConfigureAwait(false);
                    return RegstoreCli.ExitUsage;
                }

                options = options with { LargeStreamSize = bytes };
            }

            var baseRoot = values.TryGetValue("rootdirectory", out var root) && root is string { Length: > 0 } r
                ? r
                : DefaultRoot(factory.Name);
            Console.WriteLine($"conformance: driver {factory.Name} from {loaded.Folder} (plugin {loaded.Version}, contract {loaded.ContractVersion?.ToString(2)}); roots under {(baseRoot.Length == 0 ? "/" : baseRoot)}; large stream {ByteSize.Format(options.LargeStreamSize)}");

            async ValueTask<IStorageDriver> CreateDriver(string rootName, CancellationToken token)
            {
                var perRun = new Dictionary<string, object?>(values, StringComparer.OrdinalIgnoreCase)
                {
                    ["rootdirectory"] = baseRoot.TrimEnd('/') + "/" + rootName,
                };
                return await registry.CreateAsync(factory.Name, perRun, token).ConfigureAwait(false);
            }

            var summary = ConformanceRunner.Run(CreateDriver, result.GetValue(filter), result.GetValue(junit), Console.Out, options);
            Console.WriteLine(summary.ToString());
            return summary.Failed == 0 ? RegstoreCli.ExitOk : RegstoreCli.ExitPlugin;
        });
        return command;
    }

    // Filesystem roots are local folders; object stores take a key prefix.
    private static string DefaultRoot(string driverName) =>
        string.Equals(driverName, "filesystem", StringComparison.OrdinalIgnoreCase)
            ? Path.Combine(Path.GetTempPath(), "regstore-conformance")
            : "";
}
