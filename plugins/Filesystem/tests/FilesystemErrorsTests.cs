using Registry.Storage.Drivers.Filesystem;

namespace Registry.Storage.Drivers.Filesystem.Tests;

public class FilesystemErrorsTests
{
    private static IEnumerable<TestCaseData> Cases()
    {
        yield return new TestCaseData(new FileNotFoundException("gone"), typeof(PathNotFoundException)).SetName("File not found is PathNotFound");
        yield return new TestCaseData(new DirectoryNotFoundException("gone"), typeof(PathNotFoundException)).SetName("Directory not found (ENOENT or ENOTDIR) is PathNotFound");
        yield return new TestCaseData(new UnauthorizedAccessException("denied"), typeof(StorageDriverException)).SetName("Access denied is a StorageDriverException");
        yield return new TestCaseData(new IOException("No space left on device"), typeof(StorageDriverException)).SetName("Other IO errors are StorageDriverExceptions");
        yield return new TestCaseData(new NotSupportedException("odd"), typeof(StorageDriverException)).SetName("Anything else is wrapped as a StorageDriverException");
    }

    [TestCaseSource(nameof(Cases))]
    public void Maps_to_the_contract_error_naming_driver_and_storage_path_with_the_original_inside(Exception original, Type expected)
    {
        var mapped = FilesystemErrors.Map("filesystem", "read", "/a/b", original);

        mapped.GetType().ShouldBe(expected);
        var error = mapped.ShouldBeAssignableTo<StorageDriverException>()!;
        error.DriverName.ShouldBe("filesystem");
        error.Path.ShouldBe("/a/b");
        error.Message.ShouldContain("/a/b");
        error.InnerException.ShouldBeSameAs(original);
    }

    [Test]
    public void Contract_errors_and_cancellation_pass_through_unchanged()
    {
        var notFound = DriverErrors.PathNotFound("filesystem", "/x");
        var cancelled = new OperationCanceledException();
        FilesystemErrors.Map("filesystem", "read", "/x", notFound).ShouldBeSameAs(notFound);
        FilesystemErrors.Map("filesystem", "read", "/x", cancelled).ShouldBeSameAs(cancelled);
    }
}
