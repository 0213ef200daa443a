namespace Registry.Storage.Conformance;

// Writers: distribution's TestWriteReadStreams1-4, TestWriteReadStreamsNonUTF8,
// TestWriteReadLargeStreams, TestContinueStreamAppendLarge/Small,
// TestWriteZeroByteStreamThenAppend, TestWriteZeroByteContentThenAppend and
// TestPutContentMultipleTimes.
public abstract partial class StorageDriverConformance
{
    /// <summary>TestWriteReadStreams1: a one-byte file round-trips through Writer/Reader.</summary>
    [Test]
    public Task WriteReadStreams1() => WriteReadCompareStreamsAsync(TestData.RandomPath(32), "a"u8.ToArray());

    /// <summary>TestWriteReadStreams2: UTF-8 data (<c>ß</c>) round-trips through a stream.</summary>
    [Test]
    public Task WriteReadStreams2() => WriteReadCompareStreamsAsync(TestData.RandomPath(32), [0xc3, 0x9f]);

    /// <summary>TestWriteReadStreams3: 32 random bytes round-trip through a stream.</summary>
    [Test]
    public Task WriteReadStreams3() => WriteReadCompareStreamsAsync(TestData.RandomPath(32), TestData.RandomContents(32));

    /// <summary>TestWriteReadStreams4: 1 MiB round-trips through a stream.</summary>
    [Test]
    public Task WriteReadStreams4() => WriteReadCompareStreamsAsync(TestData.RandomPath(32), TestData.RandomContents(1024 * 1024));

    /// <summary>TestWriteReadStreamsNonUTF8: bytes that are not UTF-8 round-trip unchanged through a stream.</summary>
    [Test]
    public Task WriteReadStreamsNonUTF8() => WriteReadCompareStreamsAsync(TestData.RandomPath(32), [0x80, 0x80, 0x80, 0x80]);

    /// <summary>
    /// TestWriteReadLargeStreams: <see cref="ConformanceOptions.LargeStreamSize"/> bytes (5 GiB by
    /// default) stream in and out intact, checked by SHA-256 computed while streaming, so neither
    /// the suite nor a correct driver ever holds the blob in memory.
    /// </summary>
    [Test]
    [Category("Slow")]
    public async Task WriteReadLargeStreams()
    {
        var path = TestData.RandomPath(32);
        await using var cleanup = DeleteAfter(TestData.FirstPart(path));
        var size = Options.LargeStreamSize;
        TestContext.Out.WriteLine($"streaming {size} bytes");

        (long Length, byte[] Sha256) written;
        var writer = await Driver.WriterAsync(path, append: false, Ct);
        await using (writer)
        {
            await using var source = new SeededRandomStream(size, (ulong)Random.Shared.NextInt64());
            written = await StreamChecks.CopyHashingAsync(source, writer, Ct);
            written.Length.ShouldBe(size);
            writer.Size.ShouldBe(size);
            await writer.CommitAsync(Ct);
        }

        var reader = await Driver.ReaderAsync(path, 0, Ct);
        await using (reader)
        {
            var read = await StreamChecks.HashAsync(reader, Ct);
            read.Length.ShouldBe(size, "bytes read back");
            read.Sha256.ShouldBe(written.Sha256, "SHA-256 of what was read back");
        }
    }

    /// <summary>TestContinueStreamAppendLarge: three writer sessions of 10 MiB each make one file, Size carried across.</summary>
    [Test]
    public Task ContinueStreamAppendLarge() => ContinueStreamAppendAsync(10 * 1024 * 1024);

    /// <summary>TestContinueStreamAppendSmall: the same with 32-byte sessions (corner cases of chunked backends).</summary>
    [Test]
    public Task ContinueStreamAppendSmall() => ContinueStreamAppendAsync(32);

    /// <summary>
    /// Distribution's testContinueStreamAppend: write a chunk, close without commit; resume with
    /// append (from a new driver instance, as a new process would) and check Size; again; then
    /// commit and read the whole back.
    /// </summary>
    private async Task ContinueStreamAppendAsync(int chunkSize)
    {
        var path = TestData.RandomPath(32);
        await using var cleanup = DeleteAfter(TestData.FirstPart(path));
        var full = TestData.RandomContents(chunkSize * 3L);

        var writer = await Driver.WriterAsync(path, append: false, Ct);
        await writer.WriteAsync(full.AsMemory(0, chunkSize), Ct);
        await writer.DisposeAsync();
        var currentSize = writer.Size;
        currentSize.ShouldBe(chunkSize, "Size after the first session");

        if (!await ResumableWritesDeclaredAsync(path))
        {
            return;
        }

        var second = await CreateNewInstanceAsync();
        writer = await second.WriterAsync(path, append: true, Ct);
        writer.Size.ShouldBe(currentSize, "Size of the resumed writer");
        await writer.WriteAsync(full.AsMemory(chunkSize, chunkSize), Ct);
        await writer.DisposeAsync();
        currentSize = writer.Size;
        currentSize.ShouldBe(2L * chunkSize, "Size after the second session");

        var third = await CreateNewInstanceAsync();
        writer = await third.WriterAsync(path, append: true, Ct);
        await using (writer)
        {
            writer.Size.ShouldBe(currentSize, "Size of the writer resumed again");
            await writer.WriteAsync(full.AsMemory(2 * chunkSize, chunkSize), Ct);
            await writer.CommitAsync(Ct);
        }

        ShouldBeSameBytes(await Driver.GetContentAsync(path, Ct), full, "content after three sessions");
    }

    /// <summary>TestWriteZeroByteStreamThenAppend: an empty committed stream can be appended to.</summary>
    [Test]
    public async Task WriteZeroByteStreamThenAppend()
    {
        var path = TestData.RandomPath(32);
        await using var cleanup = DeleteAfter(TestData.FirstPart(path));
        var chunk = TestData.RandomContents(32);

        var writer = await Driver.WriterAsync(path, append: false, Ct);
        await using (writer)
        {
            await writer.CommitAsync(Ct);
        }

        writer.Size.ShouldBe(0);
        await ShouldReadEmptyAsync(path);
        await AppendAndCheckAsync(path, chunk);
    }

    /// <summary>TestWriteZeroByteContentThenAppend: empty content from PutContent can be appended to.</summary>
    [Test]
    public async Task WriteZeroByteContentThenAppend()
    {
        var path = TestData.RandomPath(32);
        await using var cleanup = DeleteAfter(TestData.FirstPart(path));
        var chunk = TestData.RandomContents(32);

        await Driver.PutContentAsync(path, ReadOnlyMemory<byte>.Empty, Ct);
        await ShouldReadEmptyAsync(path);
        await AppendAndCheckAsync(path, chunk);
    }

    /// <summary>TestPutContentMultipleTimes: a second, smaller PutContent replaces the whole file.</summary>
    [Test]
    public async Task PutContentMultipleTimes()
    {
        var path = TestData.RandomPath(32);
        await using var cleanup = DeleteAfter(TestData.FirstPart(path));
        await Driver.PutContentAsync(path, TestData.RandomContents(4096), Ct);
        var contents = TestData.RandomContents(2048);
        await Driver.PutContentAsync(path, contents, Ct);
        ShouldBeSameBytes(await Driver.GetContentAsync(path, Ct), contents);
    }

    private async Task ShouldReadEmptyAsync(string path)
    {
        var reader = await Driver.ReaderAsync(path, 0, Ct);
        await using (reader)
        {
            (await reader.ReadAsync(new byte[32], Ct)).ShouldBe(0, "the file must be empty");
        }
    }

    private async Task AppendAndCheckAsync(string path, byte[] chunk)
    {
        var appender = await Driver.WriterAsync(path, append: true, Ct);
        await using (appender)
        {
            await appender.WriteAsync(chunk, Ct);
            await appender.CommitAsync(Ct);
        }

        appender.Size.ShouldBe(chunk.Length, "Size after appending to empty content");
        ShouldBeSameBytes(await ReadStreamAsync(path), chunk, "content after the append");
    }
}
