namespace Registry.Storage.Conformance;

// PutContent/GetContent round trips and readers: distribution's TestWriteRead1-4,
// TestWriteReadNonUTF8, TestTruncate, TestReadNonexistent, TestReaderWithOffset and
// TestReadNonexistentStream, plus reads past the end, which distribution's suite leaves open.
public abstract partial class StorageDriverConformance
{
    /// <summary>TestWriteRead1: a one-byte file round-trips through PutContent/GetContent.</summary>
    [Test]
    public Task WriteRead1() => WriteReadCompareAsync(TestData.RandomPath(32), "a"u8.ToArray());

    /// <summary>TestWriteRead2: UTF-8 data (<c>ß</c>) round-trips.</summary>
    [Test]
    public Task WriteRead2() => WriteReadCompareAsync(TestData.RandomPath(32), [0xc3, 0x9f]);

    /// <summary>TestWriteRead3: 32 random bytes round-trip.</summary>
    [Test]
    public Task WriteRead3() => WriteReadCompareAsync(TestData.RandomPath(32), TestData.RandomContents(32));

    /// <summary>TestWriteRead4: 1 MiB round-trips.</summary>
    [Test]
    public Task WriteRead4() => WriteReadCompareAsync(TestData.RandomPath(32), TestData.RandomContents(1024 * 1024));

    /// <summary>TestWriteReadNonUTF8: bytes that are not UTF-8 round-trip unchanged.</summary>
    [Test]
    public Task WriteReadNonUTF8() => WriteReadCompareAsync(TestData.RandomPath(32), [0x80, 0x80, 0x80, 0x80]);

    /// <summary>TestTruncate: putting smaller content over a file removes the excess.</summary>
    [Test]
    public async Task Truncate()
    {
        var path = TestData.RandomPath(32);
        await WriteReadCompareAsync(path, TestData.RandomContents(1024 * 1024));
        await WriteReadCompareAsync(path, TestData.RandomContents(1024));
    }

    /// <summary>TestReadNonexistent: GetContent of a missing path is PathNotFound naming the driver.</summary>
    [Test]
    public async Task ReadNonexistent()
    {
        var path = TestData.RandomPath(32);
        await ShouldFailWithAsync<PathNotFoundException>(() => Driver.GetContentAsync(path, Ct), path);
    }

    /// <summary>
    /// TestReaderWithOffset: readers at 0, 32 and 64 give the right tails; −1 is InvalidOffset
    /// carrying path, offset and driver; offset == size gives an empty stream; size − 1 gives one byte.
    /// </summary>
    [Test]
    public async Task ReaderWithOffset()
    {
        var path = TestData.RandomPath(32);
        await using var cleanup = DeleteAfter(TestData.FirstPart(path));
        const int chunkSize = 32;
        var chunk1 = TestData.RandomContents(chunkSize);
        var chunk2 = TestData.RandomContents(chunkSize);
        var chunk3 = TestData.RandomContents(chunkSize);
        byte[] all = [.. chunk1, .. chunk2, .. chunk3];
        await Driver.PutContentAsync(path, all, Ct);

        ShouldBeSameBytes(await ReadStreamAsync(path, 0), all, "read from 0");
        ShouldBeSameBytes(await ReadStreamAsync(path, chunkSize), [.. chunk2, .. chunk3], "read from 32");
        ShouldBeSameBytes(await ReadStreamAsync(path, chunkSize * 2), chunk3, "read from 64");

        var invalid = await ShouldFailWithAsync<InvalidOffsetException>(() => Driver.ReaderAsync(path, -1, Ct), path, "offset -1");
        invalid.Offset.ShouldBe(-1);

        // Reading at the end gives a stream that is immediately at its end.
        var buffer = new byte[chunkSize];
        var atEnd = await Driver.ReaderAsync(path, chunkSize * 3, Ct);
        await using (atEnd)
        {
            (await atEnd.ReadAsync(buffer, Ct)).ShouldBe(0, "a reader at offset == size must be empty");
        }

        // The N-1 boundary: one byte, then the end.
        var lastByte = await Driver.ReaderAsync(path, (chunkSize * 3) - 1, Ct);
        await using (lastByte)
        {
            (await lastByte.ReadAsync(buffer, Ct)).ShouldBe(1, "a reader at size - 1 must give exactly one byte");
            buffer[0].ShouldBe(chunk3[^1]);
            (await lastByte.ReadAsync(buffer, Ct)).ShouldBe(0, "after the last byte the reader must be at its end");
        }
    }

    /// <summary>
    /// A reader at an offset past the end gives an empty stream, as at offset == size — for an
    /// empty file too. Distribution's drivers agree (s3 maps InvalidRange to an empty reader,
    /// filesystem seeks past the end), and a reader may ask for an offset before it knows the size.
    /// </summary>
    [Test]
    public async Task ReaderPastEnd_IsEmpty()
    {
        await using var directory = await CreateDirectoryWithSiblingAsync();
        var file = directory.Sibling;
        var empty = directory.Path + "/empty";
        await Driver.PutContentAsync(empty, ReadOnlyMemory<byte>.Empty, Ct);

        foreach (var (path, size, offset) in new[] { (file, 8, 9L), (file, 8, 8L + (1 << 20)), (empty, 0, 1L), (empty, 0, 1L << 40) })
        {
            (await ReadStreamAsync(path, offset)).ShouldBeEmpty($"a reader at offset {offset} of a {size}-byte file");
        }
    }

    /// <summary>TestReadNonexistentStream: a reader on a missing path, at 0 or 64, is PathNotFound naming the driver.</summary>
    [Test]
    public async Task ReadNonexistentStream()
    {
        var path = TestData.RandomPath(32);
        await ShouldFailWithAsync<PathNotFoundException>(() => Driver.ReaderAsync(path, 0, Ct), path, "offset 0");
        await ShouldFailWithAsync<PathNotFoundException>(() => Driver.ReaderAsync(path, 64, Ct), path, "offset 64");
    }
}
