// Compares the azure driver's stream write and read with a plain Azure.Storage.Blobs parallel
// upload and download of the same data on the same server, in the same run, and samples the
// process's peak memory in each phase. Parameters come from REGSTORE_TEST_AZURE_* (azurite.env).
//
//   dotnet run -c Release --project plugins/Azure/bench -- [size, default 1GiB] [rounds, default 2] [phases]
//
// phases: a comma list of sdk-upload, driver-write, sdk-download, driver-read (default all);
// a read needs its write in the list. Run one upload phase alone for a clean memory figure.
using System.Diagnostics;
using System.Globalization;
using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Registry.Storage;
using Registry.Storage.Drivers.Azure;
using Registry.Storage.Drivers.Azure.Bench;

var size = args.Length > 0 && ByteSize.TryParse(args[0], out var parsed) ? parsed : 1L << 30;
var rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 2;
var phases = (args.Length > 2 ? args[2] : "sdk-upload,driver-write,sdk-download,driver-read").Split(',').ToHashSet();
if ((phases.Contains("sdk-download") && !phases.Contains("sdk-upload")) || (phases.Contains("driver-read") && !phases.Contains("driver-write")))
{
    Console.Error.WriteLine("a read phase needs its write phase");
    return 2;
}

var values = Environment.GetEnvironmentVariables().Keys.Cast<string>()
    .Where(k => k.StartsWith("REGSTORE_TEST_AZURE_", StringComparison.Ordinal))
    .Select(k => new KeyValuePair<string, object?>(k["REGSTORE_TEST_AZURE_".Length..].ToLowerInvariant(), Environment.GetEnvironmentVariable(k)))
    .ToList();
if (values.Count == 0)
{
    Console.Error.WriteLine("set REGSTORE_TEST_AZURE_* (source .services/azurite.env)");
    return 2;
}

var root = "regstore-bench-" + Guid.NewGuid().ToString("N")[..8];
var parameters = new DriverParameters("azure", values).With("rootdirectory", root);
var driver = (AzureDriver)await new AzureDriverFactory().CreateAsync(parameters);
var p = driver.Parameters;
var container = new BlobServiceClient(p.ServiceUrl!, new StorageSharedKeyCredential(p.AccountName!, p.AccountKey!)).GetBlobContainerClient(p.Container);
var transfer = new StorageTransferOptions
{
    MaximumConcurrency = p.MaxConcurrency,
    MaximumTransferSize = p.ChunkSize,
    InitialTransferSize = p.ChunkSize,
};

Console.WriteLine($"size {ByteSize.Format(size)}, rounds {rounds}, block {ByteSize.Format(p.ChunkSize)}, concurrency {p.MaxConcurrency}, {Environment.ProcessorCount} cores, .NET {Environment.Version}");
var results = new List<Measurement>();

for (var round = 1; round <= rounds; round++)
{
    if (phases.Contains("sdk-upload"))
    {
        results.Add(await Measure.RunAsync("sdk upload (staged blocks, parallel)", size, async () =>
        {
            var blob = container.GetBlockBlobClient(root + "/sdk");
            await blob.UploadAsync(new SeededStream(size, 7), new BlobUploadOptions { TransferOptions = transfer });
        }));
    }

    if (phases.Contains("driver-write"))
    {
        results.Add(await Measure.RunAsync("driver write (WriterAsync + Commit)", size, async () =>
            await driver.WriteStreamAsync("/driver", new SeededStream(size, 7))));
    }

    if (phases.Contains("sdk-download"))
    {
        results.Add(await Measure.RunAsync("sdk download (ranged, parallel)", size, async () =>
            await container.GetBlobClient(root + "/sdk").DownloadToAsync(new CountingStream(), new BlobDownloadToOptions { TransferOptions = transfer })));
    }

    if (phases.Contains("driver-read"))
    {
        results.Add(await Measure.RunAsync("driver read (ReaderAsync stream)", size, async () =>
        {
            await using var reader = await driver.ReaderAsync("/driver", 0);
            var sink = new CountingStream();
            await reader.CopyToAsync(sink, 1 << 20);
            if (sink.Length != size)
            {
                throw new InvalidOperationException($"read {sink.Length} bytes, expected {size}");
            }
        }));
    }

    if (await driver.ExistsAsync("/driver"))
    {
        await driver.DeleteAsync("/driver");
    }

    await container.GetBlobClient(root + "/sdk").DeleteIfExistsAsync();
}

Console.WriteLine();
Console.WriteLine("| phase | MiB/s per round | best MiB/s | peak working set (process) | peak over phase start |");
Console.WriteLine("| --- | --- | ---: | ---: | ---: |");
foreach (var group in results.GroupBy(r => r.Phase))
{
    Console.WriteLine($"| {group.Key} | {string.Join(", ", group.Select(r => r.MiBps.ToString("F1", CultureInfo.InvariantCulture)))} | {group.Max(r => r.MiBps):F1} | {group.Max(r => r.PeakBytes) >> 20} MiB | {group.Max(r => r.PeakOverStart) >> 20} MiB |");
}

double? Best(string phase) => results.Where(r => r.Phase == phase).Select(r => (double?)r.MiBps).Max();
if (Best("driver write (WriterAsync + Commit)") is { } write && Best("sdk upload (staged blocks, parallel)") is { } upload)
{
    Console.WriteLine($"write ratio (best driver / best sdk): {write / upload:P0}");
}

if (Best("driver read (ReaderAsync stream)") is { } read && Best("sdk download (ranged, parallel)") is { } download)
{
    Console.WriteLine($"read ratio (best driver / best sdk):  {read / download:P0}");
}

return 0;
