using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Registry.Storage;
using Registry.Storage.Drivers.Filesystem;
using Registry.Storage.Hosting.DependencyInjection;

// The filesystem driver compiled into the application: selected by name like a plugin, decorated and
// disposed by the host, but loaded from the application's own dependencies — no plugins folder exists.
// Usage: LinkedDriver <root directory>. Exit 0 after a verified round trip.
var root = args.Length == 1 ? Path.GetFullPath(args[0]) : throw new ArgumentException("usage: LinkedDriver <root directory>");
var builder = Host.CreateApplicationBuilder();
builder.Services.AddRegistryStorage(options =>
{
    options.Driver = "filesystem";
    options.Parameters["rootdirectory"] = root;
});
builder.Services.AddRegistryStorageDriver<FilesystemDriverFactory>();

using var host = builder.Build();
await host.StartAsync();
var storage = host.Services.GetRequiredService<IStorageDriver>();
var content = System.Text.Encoding.UTF8.GetBytes("linked, not loaded");
await storage.PutContentAsync("/linked/hello.txt", content);
var read = await storage.GetContentAsync("/linked/hello.txt");
var factoryAssembly = typeof(FilesystemDriverFactory).Assembly;
Console.WriteLine($"driver: {storage.Name}");
Console.WriteLine($"loaded from: {Path.GetFileName(Path.GetDirectoryName(factoryAssembly.Location))}/{Path.GetFileName(factoryAssembly.Location)} (default load context: {System.Runtime.Loader.AssemblyLoadContext.GetLoadContext(factoryAssembly) == System.Runtime.Loader.AssemblyLoadContext.Default})");
Console.WriteLine($"round trip: {(read.AsSpan().SequenceEqual(content) ? "ok" : "MISMATCH")}");
await host.StopAsync();
return read.AsSpan().SequenceEqual(content) ? 0 : 1;
