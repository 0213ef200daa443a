using Registry.Storage.Drivers.Filesystem;

namespace Registry.Storage.Conformance;

/// <summary>
/// The whole suite against filesystem, each run in its own folder below a base folder:
/// <c>REGSTORE_TEST_FILESYSTEM_ROOTDIRECTORY</c> when set (to test a particular disk), else a
/// fresh temp folder, removed when the fixture ends.
/// </summary>
public sealed class FilesystemConformance : StorageDriverConformance
{
    private readonly string _base = ConformanceEnvironment.ParametersFor(FilesystemDriver.DriverName)?.GetString(FilesystemParameters.RootDirectoryName)
        ?? Path.Combine(Path.GetTempPath(), "regstore-filesystem-conformance-" + Guid.NewGuid().ToString("N")[..12]);

    private readonly HashSet<string> _roots = [];

    protected override async ValueTask<IStorageDriver> CreateDriverAsync(string rootName, CancellationToken cancellationToken)
    {
        var root = Path.Combine(_base, rootName);
        lock (_roots)
        {
            _roots.Add(root);
        }

        return await new FilesystemDriverFactory().CreateAsync(
            new DriverParameters(FilesystemDriver.DriverName, new Dictionary<string, object?> { ["rootdirectory"] = root }),
            cancellationToken);
    }

    [OneTimeTearDown]
    public void RemoveRunFolders()
    {
        foreach (var root in _roots.Where(Directory.Exists))
        {
            Directory.Delete(root, recursive: true);
        }

        if (Directory.Exists(_base) && !Directory.EnumerateFileSystemEntries(_base).Any())
        {
            Directory.Delete(_base);
        }
    }
}
