using BenchmarkDotNet.Attributes;
using Registry.Storage.Kit;

namespace Registry.Storage.MicroBenchmarks;

/// <summary>
/// The writer's part buffering: 64 MiB written in 64 KiB pieces (a registry's typical copy
/// buffer) into 8 MiB parts with a no-op upload, so the figure is the buffering itself and the
/// allocations show whether part buffers are pooled rather than allocated per part.
/// </summary>
[MemoryDiagnoser]
public class ChunkedUploaderBenchmarks
{
    private const int Total = 64 << 20;
    private readonly byte[] _piece = new byte[64 << 10];

    /// <summary>Parallel uploads allowed.</summary>
    [Params(1, 4)]
    public int Concurrency { get; set; }

    /// <summary>Buffer 64 MiB into 8 parts and complete.</summary>
    [Benchmark]
    public async Task<int> Buffer64MiBInto8MiBParts()
    {
        var parts = 0;
        await using var uploader = new ChunkedUploader(8 << 20, Concurrency, (chunk, _) =>
        {
            Interlocked.Increment(ref parts);
            return Task.CompletedTask;
        });
        for (var written = 0; written < Total; written += _piece.Length)
        {
            await uploader.WriteAsync(_piece, CancellationToken.None);
        }

        await uploader.CompleteAsync(CancellationToken.None);
        return parts;
    }
}
