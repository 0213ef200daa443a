using System.Globalization;
using Registry.Storage.Oss.StandIn;

// Standalone: `Registry.Storage.Oss.StandIn --port 19090 --data DIR [--env-file FILE]`; prints
// "ready <endpoint>" once listening, writes the REGSTORE_TEST_OSS_* lines to --env-file, and
// runs until SIGTERM/SIGINT. The key pair comes from REGSTORE_OSS_STANDIN_ACCESSKEYID/_SECRET
// when set, so it never appears on a command line.
var arguments = args.Chunk(2).Where(p => p.Length == 2).ToDictionary(p => p[0].TrimStart('-'), p => p[1], StringComparer.OrdinalIgnoreCase);
var defaults = new OssStandInOptions();
var options = defaults with
{
    Port = int.Parse(arguments.GetValueOrDefault("port", "0"), CultureInfo.InvariantCulture),
    DataDirectory = arguments.GetValueOrDefault("data"),
    Bucket = arguments.GetValueOrDefault("bucket", defaults.Bucket),
    AccessKeyId = Environment.GetEnvironmentVariable("REGSTORE_OSS_STANDIN_ACCESSKEYID") ?? defaults.AccessKeyId,
    AccessKeySecret = Environment.GetEnvironmentVariable("REGSTORE_OSS_STANDIN_ACCESSKEYSECRET") ?? defaults.AccessKeySecret,
};

await using var server = await OssStandInServer.StartAsync(options);
if (arguments.TryGetValue("env-file", out var envFile))
{
    var lines = server.DriverParameters.Select(p => $"REGSTORE_TEST_OSS_{p.Key.ToUpperInvariant()}={p.Value}");
    var temp = envFile + ".tmp";
    await File.WriteAllLinesAsync(temp, lines);
    File.Move(temp, envFile, overwrite: true);
}

Console.WriteLine($"ready {server.Endpoint} bucket {options.Bucket}");
var stop = new TaskCompletionSource();
using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    stop.TrySetResult();
});
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.TrySetResult();
};
await stop.Task;
Console.WriteLine("stopping");
