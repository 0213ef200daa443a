namespace Registry.Storage.Conformance;

// Concurrency: distribution's TestConcurrentStreamReads and TestConcurrentFileStreams.
public abstract partial class StorageDriverConformance
{
    /// <summary>TestConcurrentStreamReads: ten readers at random offsets of one 128 MiB file each read the right tail.</summary>
    [Test]
    public async Task ConcurrentStreamReads()
    {
        const int fileSize = 128 * 1024 * 1024;
        var path = TestData.RandomPath(32);
        var contents = TestData.RandomContents(fileSize);
        await using var cleanup = DeleteAfter(TestData.FirstPart(path));
        await Driver.PutContentAsync(path, contents, Ct);

        async Task ReadTailAsync()
        {
            var offset = Random.Shared.Next(fileSize);
            var reader = await Driver.ReaderAsync(path, offset, Ct);
            await using (reader)
            {
                // compared while reading, so ten readers never hold ten copies of the file
                var difference = await StreamChecks.FirstDifferenceAsync(reader, contents.AsMemory(offset), Ct);
                difference.ShouldBeNull($"reader at offset {offset}");
            }
        }

        await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Task.Run(ReadTailAsync, Ct)));
    }

    /// <summary>
    /// TestConcurrentFileStreams: 32 writers fed concurrently from 32 files of 32 MiB each all
    /// commit intact content (checked by SHA-256 while streaming; memory stays bounded).
    /// </summary>
    [Test]
    [Category("Slow")]
    public async Task ConcurrentFileStreams()
    {
        const int numStreams = 32;
        await Task.WhenAll(Enumerable.Range(0, numStreams)
            .Select(_ => Task.Run(() => FileStreamRoundTripAsync(numStreams * 1024L * 1024L), Ct)));
    }

    /// <summary>Distribution's testFileStreams: content goes to a temp file, from the file through a writer, and back through a reader.</summary>
    private async Task FileStreamRoundTripAsync(long size)
    {
        var path = TestData.RandomPathWithUniqueFirstPart(32);
        await using var cleanup = DeleteAfter(TestData.FirstPart(path));
        var tempFile = Path.GetTempFileName();
        try
        {
            byte[] expected;
            await using (var file = new FileStream(tempFile, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.Asynchronous))
            {
                await using (var source = new SeededRandomStream(size, (ulong)Random.Shared.NextInt64()))
                {
                    (_, expected) = await StreamChecks.CopyHashingAsync(source, file, Ct);
                }

                await file.FlushAsync(Ct);
                file.Position = 0;

                var writer = await Driver.WriterAsync(path, append: false, Ct);
                await using (writer)
                {
                    await file.CopyToAsync(writer, StreamChecks.BufferSize, Ct);
                    writer.Size.ShouldBe(size);
                    await writer.CommitAsync(Ct);
                }
            }

            var reader = await Driver.ReaderAsync(path, 0, Ct);
            await using (reader)
            {
                var read = await StreamChecks.HashAsync(reader, Ct);
                read.Length.ShouldBe(size, $"bytes read back from {path}");
                read.Sha256.ShouldBe(expected, $"SHA-256 of {path}");
            }
        }
        finally
        {
            File.Delete(tempFile);
        }
    }
}
