namespace Registry.Storage.Conformance.Tests;

public class TestDataTests
{
    [Test]
    public void RandomPath_IsValid_AndExactlyTheRequestedLength()
    {
        for (var i = 0; i < 2000; i++)
        {
            var length = 2 + (i % 40);
            var path = TestData.RandomPath(length);
            path.Length.ShouldBe(length, path);
            StoragePath.Explain(path).ShouldBeNull(path);
        }
    }

    [Test]
    public void RandomPathWithUniqueFirstPart_IsValid_ExactlyTheRequestedLength_AndStartsWithSixteenCharacters()
    {
        for (var i = 0; i < 2000; i++)
        {
            var length = 19 + (i % 40);
            var path = TestData.RandomPathWithUniqueFirstPart(length);
            path.Length.ShouldBe(length, path);
            StoragePath.Explain(path).ShouldBeNull(path);
            TestData.FirstPart(path).Length.ShouldBe(17, path);
        }
    }

    [Test]
    public void RandomFilename_IsAValidSegment()
    {
        for (var i = 0; i < 2000; i++)
        {
            var name = TestData.RandomFilename(1 + (i % 20));
            StoragePath.Explain("/" + name).ShouldBeNull(name);
            name.ShouldNotStartWith("-");
            name.ShouldNotEndWith("-");
        }
    }

    [TestCase("/a/b/c", "/a")]
    [TestCase("/a", "/a")]
    [TestCase("/", "/")]
    [TestCase("", "/")]
    [TestCase("a/b/", "/a")]
    public void FirstPart_IsTheFirstSegment(string path, string expected) =>
        TestData.FirstPart(path).ShouldBe(expected);

    [TestCase(new[] { "/a/b", "/a/b", "/c" }, "/a/b/a/b/c")]
    [TestCase(new[] { "/a", "b" }, "/a/b")]
    [TestCase(new[] { "/a/", "/b/" }, "/a/b")]
    public void Join_BehavesLikeGoPathJoin(string[] parts, string expected) =>
        TestData.Join(parts).ShouldBe(expected);

    [Test]
    public async Task FirstDifference_FindsTheFirstDifferingByte_OrNone()
    {
        var expected = TestData.RandomContents(3 * StreamChecks.BufferSize);
        (await StreamChecks.FirstDifferenceAsync(new MemoryStream(expected), expected, default)).ShouldBeNull();

        var changed = (byte[])expected.Clone();
        changed[StreamChecks.BufferSize + 5] ^= 0xff;
        (await StreamChecks.FirstDifferenceAsync(new MemoryStream(changed), expected, default)).ShouldBe($"the stream differs at byte {StreamChecks.BufferSize + 5}");
        (await StreamChecks.FirstDifferenceAsync(new MemoryStream(expected[..10]), expected, default)).ShouldBe($"the stream ended after 10 of {expected.Length} bytes");
        (await StreamChecks.FirstDifferenceAsync(new MemoryStream(expected), expected.AsMemory(0, 10), default)).ShouldBe("the stream is longer than the expected 10 bytes");
    }
}
