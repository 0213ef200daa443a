using Registry.Storage;
using Registry.Storage.Conformance;
using Sample.StorageDriver;

namespace Sample.StorageDriver.Tests;

/// <summary>
/// Distribution's whole driver suite against the sampledriver driver. Each fixture run keeps
/// its files in a fresh folder below <c>REGSTORE_TEST_SAMPLEDRIVER_ROOTDIRECTORY</c> (default:
/// a temp folder); creating the driver again with the same root name is what a new process
/// would see.
/// </summary>
public sealed class SampleConformance : StorageDriverConformance
{
    private static readonly string BaseDirectory =
        ConformanceEnvironment.ParametersFor(SampleDriver.DriverName)?.GetString(SampleParameters.RootDirectoryName)
        ?? Path.Combine(Path.GetTempPath(), "sampledriver-conformance");

    /// <inheritdoc />
    protected override async ValueTask<IStorageDriver> CreateDriverAsync(string rootName, CancellationToken cancellationToken) =>
        await new SampleDriverFactory().CreateAsync(
            new DriverParameters(SampleDriver.DriverName, new Dictionary<string, object?>
            {
                [SampleParameters.RootDirectoryName] = Path.Combine(BaseDirectory, rootName),
            }),
            cancellationToken);

    /// <summary>Removes this run's folder (the suite already checked it holds nothing).</summary>
    [OneTimeTearDown]
    public void RemoveRunFolder()
    {
        var folder = Path.Combine(BaseDirectory, RootName);
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
