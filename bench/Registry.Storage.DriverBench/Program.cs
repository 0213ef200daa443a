// Our side of `./build.sh bench` (build/bench.cake): loads a plugin folder as the host loads it,
// creates the driver once, and runs workloads against it, each timed inside the process (start-up,
// plugin load and the SDK's first-call warm-up are excluded by a warm-up Stat). Every workload
// prints one line
//   RESULT key=value ...      or      ERROR what failed
// that the Cake script parses. `--workload serve` runs one workload per stdin line (all of a
// driver's workloads in one process); any other workload runs once. Parameters come from
// REGSTORE_TEST_<DRIVER>_* (the services' .env files); --root overrides rootdirectory so the peer
// tool can find the same keys.
//
//   Registry.Storage.DriverBench --plugin artifacts/regstore/plugins/s3 --root bench/x --workload write --path /big --size 1GiB
//   echo "--workload write --path /big --size 1GiB" | Registry.Storage.DriverBench --plugin ... --root bench/x --workload serve
using System.Globalization;
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

var registry = new DriverRegistry();
var plugin = new PluginScanner().Load(options.Plugin, registry);
if (plugin.Status == PluginStatus.Failed || plugin.DriverNames.Count == 0)
{
    await Console.Error.WriteLineAsync($"driverbench: plugin {options.Plugin} failed to load: {plugin.Error}");
    return 3;
}

var name = plugin.DriverNames[0];
var values = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
var prefix = $"REGSTORE_TEST_{name.ToUpperInvariant()}_";
foreach (var entry in Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>())
{
    if (entry.Key is string key && key.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
    {
        values[key[prefix.Length..].ToLowerInvariant()] = entry.Value as string;
    }
}

values["rootdirectory"] = options.Root;
foreach (var (key, value) in options.Parameters)
{
    values[key] = value;
}

using var startup = new CancellationTokenSource(TimeSpan.FromMinutes(2));
var driver = await registry.CreateAsync(name, values, startup.Token);
try
{
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

    // Serve mode: the Cake script keeps one process per driver and sends one workload per line,
    // running its peer tool between them; EOF ends the process.
    // The writer's buffering as configured (given value or the factory's default), for the memory target.
    var (chunk, concurrency) = WriterBuffering(registry.Find(name), values);
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
finally
{
    await driver.DisposeAsync();
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
static (long Chunk, int Concurrency) WriterBuffering(IStorageDriverFactory? factory, Dictionary<string, object?> values)
{
    string? Value(string parameter) =>
        values.TryGetValue(parameter, out var given) && given is string text ? text
        : factory?.Parameters.FirstOrDefault(p => p.Name == parameter)?.Default;

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
