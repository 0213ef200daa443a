using Registry.Storage.Kit;

namespace Registry.Storage.Tests;

public sealed class ResumableReadStreamTests
{
    private static readonly byte[] Content = [.. Enumerable.Range(0, 10_000).Select(i => (byte)(i * 7))];

    [Test]
    public async Task A_body_that_breaks_is_reopened_from_the_byte_reached_and_the_bytes_are_exact()
    {
        await using var reader = new FakeReader(offset: 100, breakAfter: [1_000, 2_500]);

        var read = await ReadAllAsync(reader);

        read.ShouldBe(Content[100..]);
        reader.Reopened.ShouldBe([1_100, 3_600]);
        reader.Length.ShouldBe(Content.Length - 100);
    }

    [Test]
    public async Task A_body_that_ends_before_its_length_counts_as_broken()
    {
        await using var reader = new FakeReader(offset: 0, breakAfter: [4_000], endInsteadOfThrow: true);

        (await ReadAllAsync(reader)).ShouldBe(Content);
        reader.Reopened.ShouldBe([4_000]);
    }

    [Test]
    public async Task A_fourth_break_is_reported_not_hidden()
    {
        await using var reader = new FakeReader(offset: 0, breakAfter: [100, 200, 300, 400]);

        await Should.ThrowAsync<IOException>(() => ReadAllAsync(reader));
        reader.Reopened.Count.ShouldBe(ResumableReadStream.MaxResumes);
    }

    [Test]
    public async Task Without_a_known_length_a_reader_never_resumes()
    {
        await using var reader = new FakeReader(offset: 0, breakAfter: [100], knownLength: false);

        await Should.ThrowAsync<IOException>(() => ReadAllAsync(reader));
        reader.Reopened.ShouldBeEmpty();
    }

    [Test]
    public async Task A_replaced_object_fails_naming_driver_path_and_position()
    {
        await using var reader = new FakeReader(offset: 0, breakAfter: [500], replaced: true);

        var error = await Should.ThrowAsync<StorageDriverException>(() => ReadAllAsync(reader));

        error.DriverName.ShouldBe("fake");
        error.Path.ShouldBe("/blob");
        error.Message.ShouldContain("replaced while it was being read (at byte 500 of 10000)");
    }

    private static async Task<byte[]> ReadAllAsync(Stream stream)
    {
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy, 333);
        return copy.ToArray();
    }

    // Serves Content from an offset; each body throws (or ends early) after the next count in breakAfter.
    private sealed class FakeReader(long offset, int[] breakAfter, bool endInsteadOfThrow = false, bool knownLength = true, bool replaced = false)
        : ResumableReadStream(new BreakingBody(offset, breakAfter.ElementAtOrDefault(0), endInsteadOfThrow), offset, knownLength ? Content.Length - offset : null)
    {
        private int _bodies = 1;

        public List<long> Reopened { get; } = [];

        protected override void Release() => Body.Dispose();

        protected override ValueTask<Stream> ReopenAsync(long next, long end, Exception broken, CancellationToken cancellationToken)
        {
            end.ShouldBe(Content.Length);
            Reopened.Add(next);
            if (replaced)
            {
                throw Replaced("fake", "/blob", next, end, broken);
            }

            var limit = breakAfter.ElementAtOrDefault(_bodies++);
            return ValueTask.FromResult<Stream>(new BreakingBody(next, limit, endInsteadOfThrow));
        }
    }

    private sealed class BreakingBody(long from, int limit, bool endInsteadOfThrow) : MemoryStream(Content, (int)from, Content.Length - (int)from, writable: false)
    {
        private int _served;

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (limit > 0 && _served >= limit)
            {
                return endInsteadOfThrow ? 0 : throw new IOException("connection reset by peer");
            }

            var slice = limit > 0 ? buffer[..Math.Min(buffer.Length, limit - _served)] : buffer;
            var read = await base.ReadAsync(slice, cancellationToken);
            _served += read;
            return read;
        }
    }
}
