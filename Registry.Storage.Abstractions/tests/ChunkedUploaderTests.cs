using System.Collections.Concurrent;
using Registry.Storage.Kit;

namespace Registry.Storage.Tests;

public class ChunkedUploaderTests
{
    [Test]
    public async Task Every_chunk_but_the_last_has_the_chunk_size_and_bytes_arrive_intact()
    {
        var received = new ConcurrentDictionary<int, byte[]>();
        await using var uploader = new ChunkedUploader(1000, 3, (chunk, _) =>
        {
            received[chunk.Index] = chunk.Data.ToArray();
            return Task.CompletedTask;
        });
        var data = Enumerable.Range(0, 4321).Select(i => (byte)i).ToArray();
        foreach (var piece in data.Chunk(333))
        {
            await uploader.WriteAsync(piece, CancellationToken.None);
        }

        await uploader.CompleteAsync(CancellationToken.None);
        received.Keys.Order().ShouldBe([0, 1, 2, 3, 4]);
        received.Values.Select(v => v.Length).Order().ShouldBe([321, 1000, 1000, 1000, 1000]);
        received.OrderBy(kv => kv.Key).SelectMany(kv => kv.Value).ToArray().ShouldBe(data);
    }

    [Test]
    public async Task No_more_than_max_concurrency_chunks_upload_at_once()
    {
        var running = 0;
        var peak = 0;
        await using var uploader = new ChunkedUploader(10, 2, async (_, ct) =>
        {
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref peak, now);
            await Task.Delay(5, ct);
            Interlocked.Decrement(ref running);
        });
        await uploader.WriteAsync(new byte[200], CancellationToken.None);
        await uploader.CompleteAsync(CancellationToken.None);
        peak.ShouldBeLessThanOrEqualTo(2);
        peak.ShouldBeGreaterThan(0);
    }

    [Test]
    public async Task A_failed_chunk_fails_the_next_write_or_completion_with_the_original_error()
    {
        await using var uploader = new ChunkedUploader(10, 1, (chunk, _) =>
            chunk.Index == 1 ? throw new IOException("part 2 rejected") : Task.CompletedTask);
        var error = await Should.ThrowAsync<IOException>(async () =>
        {
            for (var i = 0; i < 10; i++)
            {
                await uploader.WriteAsync(new byte[10], CancellationToken.None);
            }

            await uploader.CompleteAsync(CancellationToken.None);
        });
        error.Message.ShouldBe("part 2 rejected");
    }

    [Test]
    public async Task Resumed_numbering_continues_from_the_first_index()
    {
        var indexes = new ConcurrentBag<int>();
        await using var uploader = new ChunkedUploader(4, 1, (chunk, _) =>
        {
            indexes.Add(chunk.Index);
            return Task.CompletedTask;
        }, firstIndex: 7);
        await uploader.WriteAsync(new byte[9], CancellationToken.None);
        uploader.PendingLength.ShouldBe(1);
        await uploader.CompleteAsync(CancellationToken.None);
        indexes.Order().ShouldBe([7, 8, 9]);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while (value > (current = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
