// Our side of `./build.sh bench` (build/bench.cake): runs ONE workload against a plugin folder
// loaded as the host loads it, times it inside the process (start-up, plugin load and the SDK's
// first-call warm-up are excluded by a warm-up Stat), and prints one line
//   RESULT key=value ...
// that the Cake script parses. Parameters come from REGSTORE_TEST_<DRIVER>_* (the services' .env
// files); --root overrides rootdirectory so the peer tool can find the same keys.
//
//   Registry.Storage.DriverBench --plugin artifacts/regstore/plugins/s3 --root bench/x --workload write --path /big --size 1GiB
using System.Diagnostics;
using System.Globalization;
using Registry.Storage;
using Registry.Storage.DriverBench;
using Registry.Storage.Host;
using Registry.Storage.Host.Plugins;

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

using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(options.TimeoutMinutes));
var ct = cts.Token;
var driver = await registry.CreateAsync(name, values, ct);
try
{
    // Warm-up: the first call pays for connection set-up and SDK initialisation, which a
    // long-running registry pays once; a missing path is the expected answer.
    try
    {
        await driver.StatAsync("/", ct);
    }
    catch (PathNotFoundException)
    {
    }

    var result = await Workloads.RunAsync(driver, options, ct);
    result["peak"] = PeakResidentBytes();
    Console.WriteLine("RESULT " + string.Join(' ', result.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key}={p.Value}"))));
    return 0;
}
catch (Exception ex) when (ex is StorageDriverException or IOException or InvalidOperationException or OperationCanceledException)
{
    await Console.Error.WriteLineAsync($"driverbench: {options.Workload} failed: {ex.GetType().Name}: {ex.Message}");
    return 1;
}
finally
{
    switch (driver)
    {
        case IAsyncDisposable asyncDisposable:
            await asyncDisposable.DisposeAsync();
            break;
        case IDisposable disposable:
            disposable.Dispose();
            break;
    }
}

// The process's peak resident set (VmHWM): what the kernel had to give it at the worst moment.
static long PeakResidentBytes()
{
    foreach (var line in File.ReadLines("/proc/self/status"))
    {
        if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
        {
            return long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture) * 1024;
        }
    }

    return Process.GetCurrentProcess().PeakWorkingSet64;
}
