using Registry.Storage.Drivers.InMemory;

namespace Registry.Storage.Conformance;

/// <summary>
/// The whole suite against inmemory. Every driver shares one named store, so a driver
/// created again with the same root name sees what the earlier one left (as a new process
/// would with a persistent backend); the root name isolates each run inside it.
/// </summary>
public sealed class InMemoryConformance : StorageDriverConformance
{
    private const string StoreName = "inmemory-conformance";

    protected override async ValueTask<IStorageDriver> CreateDriverAsync(string rootName, CancellationToken cancellationToken) =>
        await new InMemoryDriverFactory().CreateAsync(
            new DriverParameters(InMemoryDriver.DriverName, new Dictionary<string, object?>
            {
                ["rootdirectory"] = "/" + rootName,
                ["store"] = StoreName,
            }),
            cancellationToken);

    // Named stores live as long as the process: give this one's memory back when the fixture ends.
    [OneTimeTearDown]
    public void ForgetStore() => InMemoryStores.Forget(StoreName);
}
