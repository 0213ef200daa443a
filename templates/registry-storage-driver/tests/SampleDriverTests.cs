using Registry.Storage;
using Sample.StorageDriver;

namespace Sample.StorageDriver.Tests;

/// <summary>What is particular to this driver: the on-disk layout and the error mapping.</summary>
public sealed class SampleDriverTests
{
    private string _root = "";
    private SampleDriver _driver = null!;

    [SetUp]
    public void CreateDriver()
    {
        _root = Path.Combine(Path.GetTempPath(), "sampledriver-tests-" + Guid.NewGuid().ToString("N"));
        _driver = new SampleDriver(new SampleParameters(_root));
    }

    [TearDown]
    public async Task RemoveDriverAndRoot()
    {
        await _driver.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    [Test]
    public async Task CommittedContent_IsAPlainFileAtRootDirectoryPlusPath()
    {
        await _driver.PutContentAsync("/docker/registry/v2/blob", "hello"u8.ToArray());

        (await File.ReadAllTextAsync(Path.Combine(_root, "docker/registry/v2/blob"))).ShouldBe("hello");
    }

    [Test]
    public async Task UploadInProgress_IsStagedOutsideTheStoredTree_AndHiddenFromListings()
    {
        var writer = await _driver.WriterAsync("/a/upload", append: false);
        await writer.WriteAsync("partial"u8.ToArray());
        await writer.DisposeAsync();

        File.Exists(Path.Combine(_root, "a/upload")).ShouldBeFalse();
        (await _driver.ListSortedAsync("/")).ShouldBeEmpty();
        Directory.GetFiles(Path.Combine(_root, "~uploads"), "*", SearchOption.AllDirectories).ShouldBe([Path.Combine(_root, "~uploads/a/upload~upload")]);
    }

    [Test]
    public async Task DeletingAFolder_RemovesTheUploadsBelowIt_AndTheirStagingFolders()
    {
        await _driver.PutContentAsync("/u/startedat", "t"u8.ToArray());
        var writer = await _driver.WriterAsync("/u/data", append: false);
        await writer.WriteAsync("partial"u8.ToArray());
        await writer.DisposeAsync();

        await _driver.DeleteAsync("/u");

        Directory.GetFileSystemEntries(Path.Combine(_root, "~uploads")).ShouldBeEmpty();
        await Should.ThrowAsync<PathNotFoundException>(() => _driver.WriterAsync("/u/data", append: true));
    }

    [Test]
    public async Task DeletingTheLastFile_RemovesTheFoldersItImplied()
    {
        await _driver.PutContentAsync("/a/b/c", "x"u8.ToArray());
        await _driver.DeleteAsync("/a/b/c");

        Directory.Exists(Path.Combine(_root, "a")).ShouldBeFalse();
        await Should.ThrowAsync<PathNotFoundException>(() => _driver.StatAsync("/a"));
    }

    [Test]
    public void FileSystemErrors_MapToContractErrors_NamingDriverAndPath()
    {
        var notFound = SampleErrors.Map(new FileNotFoundException("gone"), "Reader", "/a");
        notFound.ShouldBeOfType<PathNotFoundException>();
        notFound.Path.ShouldBe("/a");
        notFound.DriverName.ShouldBe(SampleDriver.DriverName);

        var other = SampleErrors.Map(new IOException("disk full"), "Write", "/b");
        other.ShouldBeOfType<StorageDriverException>();
        other.Message.ShouldContain("/b");
        other.Message.ShouldContain("disk full");
        other.InnerException.ShouldBeOfType<IOException>();
    }
}
