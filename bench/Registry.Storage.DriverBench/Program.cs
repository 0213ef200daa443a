// Our side of `./build.sh bench` (bench/Registry.Storage.Bench): creates the driver once through the
// hosting library's StorageHost, as production does, and runs workloads against it, each timed inside the process (start-up,
// plugin load and the SDK's first-call warm-up are excluded by a warm-up Stat). Every workload
// prints one line
//   RESULT key=value ...      or      ERROR what failed
// that the bench program parses. `--workload serve` runs one workload per stdin line (all of a
// driver's workloads in one process); any other workload runs once. Parameters come from
// REGSTORE_TEST_<DRIVER>_* (the services' .env files); --root overrides rootdirectory so the peer
// tool can find the same keys.
//
//   Registry.Storage.DriverBench --plugin artifacts/regstore/plugins/s3 --root bench/x --workload write --path /big --size 1GiB
//   echo "--workload write --path /big --size 1GiB" | Registry.Storage.DriverBench --plugin ... --root bench/x --workload serve
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Registry.Storage;
using Registry.Storage.DriverBench;
using Registry.Storage.Hosting;
using Registry.Storage.Hosting.Plugins;

var options = BenchArguments.Parse(args);
if (options is null)
{
    await Console.Error.WriteLineAsync(BenchArguments.Usage);
    return 2;
}

// The driver is made as production makes it: StorageHost over the plugin folder's parent (discovery
// from metadata, the one plugin loaded alone after its trust and contract checks, every factory call
// bounded), from a configuration in a registry's shape — storage:<driver>:<parameter> — with the
// default decorators (logging, metrics, tracing; no listener is attached, see bench/README.md).
var pluginFolder = Path.GetFullPath(options.Plugin).TrimEnd(Path.DirectorySeparatorChar);
var pluginsDirectory = Path.GetDirectoryName(pluginFolder) ?? pluginFolder;
// The name the folder's plugin declares (its metadata, nothing loaded) selects the driver.
var plugin = PluginCatalog.Inspect(pluginFolder, PluginTrustOptions.Default, checkFiles: false);
if (plugin.Drivers.Count == 0)
{
    await Console.Error.WriteLineAsync($"driverbench: plugin {options.Plugin} declares no driver: {plugin.Error ?? "no driver in its metadata"}");
    return 3;
}

var name = plugin.Drivers[0].Name;
var configuration = new ConfigurationBuilder().AddInMemoryCollection(Settings(name, options)).Build();
var host = StorageHost.Create(StorageHostOptions.FromConfiguration(configuration, pluginsDirectory));
using var startup = new CancellationTokenSource(TimeSpan.FromMinutes(2));
ConfiguredDriver configured;
try
{
    configured = await host.CreateDriverAsync(configuration, $"driverbench {pluginFolder}", startup.Token);
}
catch (Exception ex) when (ex is StorageDriverException or InvalidOperationException or OperationCanceledException)
{
    await Console.Error.WriteLineAsync($"driverbench: {name} from {pluginFolder} could not be created: {ex.Message}");
    return 3;
}

await using (configured)
{
    var driver = configured.Driver;

    // Warm-up: the first call pays for connection set-up and SDK initialisation, which a
    // long-running registry pays once; a missing path is the expected answer.
    try
    {
        await driver.StatAsync("/", startup.Token);
    }
    catch (PathNotFoundException)
    {
    }

    if (options.Workload != "serve")
    {
        return await RunOneAsync(driver, options) ? 0 : 1;
    }

    // Serve mode: the bench program keeps one process per driver and sends one workload per line,
    // running its peer tool between them; EOF ends the process.
    // The writer's buffering as configured (given value or the factory's default), for the memory target.
    var (chunk, concurrency) = WriterBuffering(await host.Registry.GetFactoryAsync(name, startup.Token), configured.Parameters);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"READY chunk={chunk} concurrency={concurrency}"));
    var failures = 0;
    while (await Console.In.ReadLineAsync() is { } line)
    {
        if (line.Trim().Length == 0)
        {
            continue;
        }

        if (options.With(line) is not { } command)
        {
            Console.WriteLine($"ERROR cannot parse '{line}'");
            failures++;
            continue;
        }

        if (!await RunOneAsync(driver, command))
        {
            failures++;
        }
    }

    return failures == 0 ? 0 : 1;
}

// The driver's configuration: REGSTORE_TEST_<DRIVER>_* (the services' .env files), then rootdirectory
// (--root, so the peer tool finds the same keys), then -p key=value; --set key=value last, for any
// other key of a registry's configuration (middleware:storage:…, plugins:…).
static Dictionary<string, string?> Settings(string name, BenchArguments options)
{
    var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
    var prefix = $"REGSTORE_TEST_{name.ToUpperInvariant()}_";
    foreach (var entry in Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>())
    {
        if (entry.Key is string key && key.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            settings[$"storage:{name}:{key[prefix.Length..].ToLowerInvariant()}"] = entry.Value as string;
        }
    }

    settings[$"storage:{name}:rootdirectory"] = options.Root;
    foreach (var (key, value) in options.Parameters)
    {
        settings[$"storage:{name}:{key}"] = value;
    }

    foreach (var (key, value) in options.Settings)
    {
        settings[key] = value;
    }

    return settings;
}

// Runs one workload and prints "RESULT key=value ..." or "ERROR message" (details on stderr).
static async Task<bool> RunOneAsync(IStorageDriver driver, BenchArguments command)
{
    using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(command.TimeoutMinutes));
    try
    {
        var result = await Workloads.RunAsync(driver, command, cts.Token);
        Console.WriteLine("RESULT " + string.Join(' ', result.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key}={p.Value}"))));
        return true;
    }
    catch (Exception ex) when (ex is StorageDriverException or IOException or InvalidOperationException or OperationCanceledException)
    {
        await Console.Error.WriteLineAsync($"driverbench: {command.Workload} {command.Path} failed: {ex.GetType().Name}: {ex.Message}");
        Console.WriteLine($"ERROR {command.Workload} {command.Path}: {ex.GetType().Name}");
        return false;
    }
}

// chunksize and the writer's concurrency parameter (uploadconcurrency, concurrency or maxconcurrency):
// the given value, else the factory's declared default; 0 when the driver has no such parameter.
static (long Chunk, int Concurrency) WriterBuffering(IStorageDriverFactory factory, DriverParameters values)
{
    string? Value(string parameter) =>
        values.TryGetValue(parameter, out var given) && given is string text ? text
        : factory.Parameters.FirstOrDefault(p => p.Name == parameter)?.Default;

    long chunk = 0;
    if (Value("chunksize") is { } chunkText && !ByteSize.TryParse(chunkText, out chunk))
    {
        chunk = 0;
    }

    var concurrency = 0;
    foreach (var parameter in new[] { "uploadconcurrency", "concurrency", "maxconcurrency" })
    {
        if (Value(parameter) is { } text && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out concurrency))
        {
            break;
        }
    }

    return (chunk, concurrency);
}
