// Streams SIZE bytes through the filesystem driver's writer (1 MiB writes, Commit = fsync +
// rename + fsync dir), drops the page cache (when root), streams it back through the reader,
// and reports MiB/s and the process's peak working set. Usage:
//   dotnet run -c Release --project plugins/Filesystem/bench -- <folder> <size, e.g. 1GiB> [write|read|both]
using System.Diagnostics;
using System.Globalization;
using Registry.Storage;
using Registry.Storage.Drivers.Filesystem;

var folder = args.Length > 0 ? args[0] : Path.Combine(Path.GetTempPath(), "regstore-fs-bench");
var size = args.Length > 1 && ByteSize.TryParse(args[1], out var parsed) ? parsed : 1L << 30;
var mode = args.Length > 2 ? args[2] : "both";
const int BlockSize = 1 << 20;

Directory.CreateDirectory(folder);
using var driver = new FilesystemDriver(new FilesystemParameters(Path.GetFullPath(folder), FilesystemParameters.DefaultMaxThreads));
const string Path1 = "/bench/blob";
var block = new byte[BlockSize];
Random.Shared.NextBytes(block);

var cpuBefore = TimeSpan.Zero;
if (mode is "write" or "both")
{
    cpuBefore = CpuTime();
    var clock = Stopwatch.StartNew();
    var writer = await driver.WriterAsync(Path1, append: false);
    await using (writer)
    {
        for (long written = 0; written < size; written += BlockSize)
        {
            await writer.WriteAsync(block.AsMemory(0, (int)Math.Min(BlockSize, size - written)));
        }

        await writer.CommitAsync();
    }

    Report("write", clock.Elapsed);
}

if (mode is "read" or "both")
{
    DropCaches();
    cpuBefore = CpuTime();
    var clock = Stopwatch.StartNew();
    long read = 0;
    var stream = await driver.ReaderAsync(Path1, 0);
    await using (stream)
    {
        int n;
        while ((n = await stream.ReadAsync(block)) > 0)
        {
            read += n;
        }
    }

    if (read != size)
    {
        throw new InvalidOperationException($"read {read} bytes, expected {size}");
    }

    Report("read", clock.Elapsed);
}

void Report(string what, TimeSpan elapsed)
{
    using var self = Process.GetCurrentProcess();
    self.Refresh();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{what} {size / (1024.0 * 1024):F0} MiB in {elapsed.TotalSeconds:F2} s = {size / (1024.0 * 1024) / elapsed.TotalSeconds:F0} MiB/s; cpu {(CpuTime() - cpuBefore).TotalSeconds:F2} s; peak working set {self.PeakWorkingSet64 / (1024.0 * 1024):F0} MiB"));
}

static TimeSpan CpuTime()
{
    using var self = Process.GetCurrentProcess();
    return self.TotalProcessorTime;
}

static void DropCaches()
{
    try
    {
        File.WriteAllText("/proc/sys/vm/drop_caches", "3");
    }
    catch (UnauthorizedAccessException)
    {
        Console.WriteLine("(page cache not dropped: not root)");
    }
    catch (IOException)
    {
        Console.WriteLine("(page cache not dropped)");
    }
}
