namespace Registry.Storage.Conformance.Tests;

public class SeededRandomStreamTests
{
    [Test]
    public async Task SameSeed_GivesSameBytes_WhateverTheReadSizes()
    {
        var whole = await ReadAllAsync(new SeededRandomStream(10_000, 42), 10_000);
        var inPieces = await ReadAllAsync(new SeededRandomStream(10_000, 42), 7);

        inPieces.ShouldBe(whole);
        whole.Length.ShouldBe(10_000);
    }

    [Test]
    public async Task DifferentSeeds_GiveDifferentBytes()
    {
        var a = await ReadAllAsync(new SeededRandomStream(64, 1), 64);
        var b = await ReadAllAsync(new SeededRandomStream(64, 2), 64);

        a.ShouldNotBe(b);
    }

    [Test]
    public async Task Fill_AtAnyOffset_MatchesTheStream()
    {
        var whole = await ReadAllAsync(new SeededRandomStream(100, 7), 100);
        foreach (var (offset, length) in new[] { (0, 100), (1, 5), (3, 16), (8, 8), (13, 0), (95, 5) })
        {
            var part = new byte[length];
            SeededRandomStream.Fill(7, offset, part);
            part.ShouldBe(whole.AsSpan(offset, length).ToArray(), $"offset {offset}, length {length}");
        }
    }

    [Test]
    public async Task Seek_ContinuesFromTheNewPosition()
    {
        var whole = await ReadAllAsync(new SeededRandomStream(100, 9), 100);
        await using var stream = new SeededRandomStream(100, 9);
        stream.Seek(37, SeekOrigin.Begin);

        var tail = await ReadAllAsync(stream, 11);

        tail.ShouldBe(whole[37..]);
    }

    [Test]
    public async Task EmptyStream_ReadsNothing()
    {
        await using var stream = new SeededRandomStream(0, 1);
        (await stream.ReadAsync(new byte[8])).ShouldBe(0);
    }

    [Test]
    public void Bytes_LookUniform()
    {
        // A sanity check that the generator is not degenerate: 1 MiB should use every byte value
        // roughly equally (expected 4096 each).
        var data = new byte[1 << 20];
        SeededRandomStream.Fill(123, 0, data);
        var counts = new int[256];
        foreach (var b in data)
        {
            counts[b]++;
        }

        counts.Min().ShouldBeGreaterThan(3500);
        counts.Max().ShouldBeLessThan(4700);
    }

    private static async Task<byte[]> ReadAllAsync(Stream stream, int chunk)
    {
        using var memory = new MemoryStream();
        var buffer = new byte[Math.Max(chunk, 1)];
        int read;
        while ((read = await stream.ReadAsync(buffer.AsMemory(0, chunk))) > 0)
        {
            memory.Write(buffer, 0, read);
        }

        return memory.ToArray();
    }
}
