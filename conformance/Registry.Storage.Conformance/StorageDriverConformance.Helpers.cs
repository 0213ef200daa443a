namespace Registry.Storage.Conformance;

// The helpers distribution's suite shares between its tests (deletePath, writeReadCompare,
// writeReadCompareStreams) and the error checks every test repeats.
public abstract partial class StorageDriverConformance
{
    /// <summary>
    /// Deletes <paramref name="path"/> when disposed (distribution's <c>defer suite.deletePath(firstPart(p))</c>),
    /// so a test cleans up after itself even when an assertion fails.
    /// </summary>
    protected IAsyncDisposable DeleteAfter(string path) => new DeferredDelete(this, path);

    /// <summary>
    /// A fresh top-level directory (<c>/</c> + 12 random characters) holding one committed file,
    /// <see cref="TestDirectory.Sibling"/> (8 random bytes), so the directory exists whatever else
    /// the test does in it; deleted when disposed.
    /// </summary>
    protected async Task<TestDirectory> CreateDirectoryWithSiblingAsync()
    {
        var path = "/" + TestData.RandomFilename(12);
        var directory = new TestDirectory(path, path + "/sibling", TestData.RandomContents(8), DeleteAfter(path));
        await Driver.PutContentAsync(directory.Sibling, directory.SiblingContents, Ct);
        return directory;
    }

    /// <summary>Deletes <paramref name="path"/>, accepting that it is already gone (distribution's <c>deletePath</c>).</summary>
    protected async Task DeletePathAsync(string path)
    {
        await DriverCleanup.DeleteIgnoringMissingAsync(Driver, path);
    }

    /// <summary>
    /// Runs <paramref name="action"/> and asserts it throws <typeparamref name="TException"/>
    /// naming this driver (<c>DriverName</c> and message) and, when given, <paramref name="path"/>.
    /// </summary>
    protected async Task<TException> ShouldFailWithAsync<TException>(Func<Task> action, string? path = null, string? because = null)
        where TException : StorageDriverException
    {
        var error = await Should.ThrowAsync<TException>(action, because);
        error.DriverName.ShouldBe(Driver.Name, $"the error must name the driver ({because})");
        error.Message.ShouldContain(Driver.Name, Case.Sensitive, $"the message must name the driver ({because})");
        if (path is not null)
        {
            error.Path.ShouldBe(path, $"the error must name the path ({because})");
        }

        return error;
    }

    /// <summary>Writes <paramref name="contents"/> through a writer and commits (append = false).</summary>
    protected async Task<long> WriteCommittedAsync(string path, ReadOnlyMemory<byte> contents, IStorageDriver? driver = null)
    {
        var writer = await (driver ?? Driver).WriterAsync(path, append: false, Ct);
        await using (writer)
        {
            await writer.WriteAsync(contents, Ct);
            await writer.CommitAsync(Ct);
            return writer.Size;
        }
    }

    /// <summary>Reads the whole file at <paramref name="path"/> through a reader at <paramref name="offset"/>.</summary>
    protected async Task<byte[]> ReadStreamAsync(string path, long offset = 0, IStorageDriver? driver = null)
    {
        var reader = await (driver ?? Driver).ReaderAsync(path, offset, Ct);
        await using (reader)
        {
            return await StreamChecks.ReadAllAsync(reader, Ct);
        }
    }

    /// <summary>Distribution's <c>writeReadCompare</c>: PutContent, GetContent, compare, delete.</summary>
    protected async Task WriteReadCompareAsync(string path, byte[] contents)
    {
        await using var cleanup = DeleteAfter(TestData.FirstPart(path));
        await Driver.PutContentAsync(path, contents, Ct);
        var read = await Driver.GetContentAsync(path, Ct);
        ShouldBeSameBytes(read, contents);
    }

    /// <summary>Distribution's <c>writeReadCompareStreams</c>: Writer, Commit, Reader, compare, delete.</summary>
    protected async Task WriteReadCompareStreamsAsync(string path, byte[] contents)
    {
        await using var cleanup = DeleteAfter(TestData.FirstPart(path));
        var writer = await Driver.WriterAsync(path, append: false, Ct);
        await using (writer)
        {
            using var source = new MemoryStream(contents, writable: false);
            await source.CopyToAsync(writer, Ct);
            writer.Size.ShouldBe(contents.Length);
            await writer.CommitAsync(Ct);
        }

        var read = await ReadStreamAsync(path);
        ShouldBeSameBytes(read, contents);
    }

    /// <summary>Asserts two byte sequences are equal, naming the first difference rather than printing megabytes.</summary>
    protected static void ShouldBeSameBytes(ReadOnlySpan<byte> actual, ReadOnlySpan<byte> expected, string? what = null)
    {
        var common = actual.CommonPrefixLength(expected);
        if (common == actual.Length && common == expected.Length)
        {
            return;
        }

        var where = common < Math.Min(actual.Length, expected.Length) ? $"differ at byte {common}" : "differ in length";
        throw new ShouldAssertException($"{what ?? "the content"}: got {actual.Length} bytes, expected {expected.Length}; they {where}");
    }

    /// <summary>A test's directory with its committed sibling file (<see cref="CreateDirectoryWithSiblingAsync"/>); disposing deletes it.</summary>
    /// <param name="Path">The directory.</param>
    /// <param name="Sibling">The committed file in it.</param>
    /// <param name="SiblingContents">What the sibling holds.</param>
    /// <param name="Cleanup">Deletes the directory.</param>
    protected sealed record TestDirectory(string Path, string Sibling, byte[] SiblingContents, IAsyncDisposable Cleanup) : IAsyncDisposable
    {
        /// <summary>Deletes the directory.</summary>
        public ValueTask DisposeAsync() => Cleanup.DisposeAsync();
    }

    private sealed class DeferredDelete(StorageDriverConformance suite, string path) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await suite.DeletePathAsync(path);
    }
}
