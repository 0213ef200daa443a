using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Registry.Storage;
using Registry.Storage.Hosting.Configuration;
using Registry.Storage.Hosting.DependencyInjection;

// A worker that stores a blob through whatever driver its configuration names: appsettings.json,
// distribution's REGISTRY_STORAGE* variables, or REGSTORE_* ones. Exit 0 after a verified round
// trip and a healthy check; a wrong driver or parameter stops start-up (exit 2) with the message
// regstore would print.
var builder = Host.CreateApplicationBuilder(args);
((IConfigurationBuilder)builder.Configuration).Add(new DistributionEnvironmentVariablesSource());
builder.Services.AddRegistryStorage(builder.Configuration);
builder.Services.AddHealthChecks().AddRegistryStorageCheck();

using var host = builder.Build();
try
{
    await host.StartAsync();
}
catch (Exception ex)
{
    // OptionsValidationException, PluginLoadException, InvalidStorageDriverException, InvalidParameterException …
    Console.Error.WriteLine($"storage-worker: start-up failed: {ex.Message}");
    return 2;
}

var storage = host.Services.GetRequiredService<IStorageDriver>();
var content = System.Text.Encoding.UTF8.GetBytes($"hello from the sample at {DateTimeOffset.UtcNow:O}");
await storage.PutContentAsync("/sample/greeting.txt", content);
var read = await storage.GetContentAsync("/sample/greeting.txt");
var health = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
Console.WriteLine($"driver: {storage.Name}");
Console.WriteLine($"round trip: {(read.AsSpan().SequenceEqual(content) ? "ok" : "MISMATCH")} ({read.Length} bytes)");
Console.WriteLine($"health: {health.Status}");
await host.StopAsync();
return read.AsSpan().SequenceEqual(content) && health.Status == HealthStatus.Healthy ? 0 : 1;
