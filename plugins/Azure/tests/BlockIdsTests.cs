using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Time.Testing;

namespace Registry.Storage.Drivers.Azure.Tests;

[TestFixture]
public sealed class BlockIdsTests
{
    private static readonly FakeTimeProvider Clock = new(new DateTimeOffset(2026, 11, 28, 10, 0, 0, TimeSpan.Zero));

    private static BlobBlock Block(string id, long size) => BlobsModelFactory.BlobBlock(id, size);

    [Test]
    public void Ids_round_trip_and_all_have_one_length()
    {
        var session = BlockIds.NewSession(Clock);
        string[] ids = [BlockIds.For(session, 0), BlockIds.For(session, 49_999), BlockIds.For(session, BlockIds.MaxIndex), BlockIds.CancelFor(session)];

        ids.Select(i => i.Length).Distinct().Count().ShouldBe(1);
        BlockIds.TryParse(ids[1], out var parsedSession, out var index).ShouldBeTrue();
        (parsedSession, index).ShouldBe((session, 49_999));
        BlockIds.TryParse(ids[3], out _, out var marker).ShouldBeTrue();
        marker.ShouldBe(BlockIds.CancelIndex);
        BlockIds.TryParse(BlockIds.OpenFor(session), out _, out var open).ShouldBeTrue();
        open.ShouldBe(BlockIds.OpenIndex);
    }

    [Test]
    public void A_session_carries_its_start_time()
    {
        BlockIds.StartTime(BlockIds.NewSession(Clock)).ShouldBe(Clock.GetUtcNow());
        BlockIds.StartTime("not-hex-at-all-here!").ShouldBe(DateTimeOffset.MinValue);
    }

    [Test]
    public void Later_sessions_sort_after_earlier_ones()
    {
        var earlier = BlockIds.NewSession(Clock);
        Clock.Advance(TimeSpan.FromMilliseconds(1));
        var later = BlockIds.NewSession(Clock);

        string.CompareOrdinal(later, earlier).ShouldBeGreaterThan(0);
    }

    [TestCase("AAAA")]
    [TestCase("bm90LW91cnMtYmxvY2staWQtYXQtYWxsLXJlYWxseQ==")]
    [TestCase("not base64!")]
    public void Foreign_ids_are_not_ours(string id) => BlockIds.TryParse(id, out _, out _).ShouldBeFalse();

    [Test]
    public void Resume_takes_the_newest_session_and_only_its_contiguous_blocks()
    {
        var old = BlockIds.NewSession(Clock);
        Clock.Advance(TimeSpan.FromSeconds(1));
        var current = BlockIds.NewSession(Clock);
        BlobBlock[] blocks =
        [
            Block(BlockIds.For(current, 1), 10), Block(BlockIds.For(old, 0), 99), Block(BlockIds.For(current, 0), 20),
            Block(BlockIds.For(old, 1), 99), Block(BlockIds.For(current, 3), 5), Block("Zm9yZWlnbg==", 1),
        ];

        var session = AzureWriters.LatestSession(blocks);

        session.ShouldBe(new StagedSession(current, 2, 30));
    }

    [Test]
    public void Cancelled_newest_session_leaves_nothing_to_resume()
    {
        var current = BlockIds.NewSession(Clock);
        BlobBlock[] blocks = [Block(BlockIds.For(current, 0), 10), Block(BlockIds.CancelFor(current), 1)];

        AzureWriters.LatestSession(blocks).ShouldBeNull();
    }

    [Test]
    public void Open_marker_alone_is_an_empty_session_to_resume()
    {
        var current = BlockIds.NewSession(Clock);

        AzureWriters.LatestSession([Block(BlockIds.OpenFor(current), 1)]).ShouldBe(new StagedSession(current, 0, 0));
    }

    [Test]
    public void No_blocks_leave_nothing_to_resume() => AzureWriters.LatestSession([]).ShouldBeNull();
}
