using Registry.Storage.Drivers.Azure.Tests;

namespace Registry.Storage.Conformance;

/// <summary>Distribution's storage-driver suite against the azure driver on Azurite (or the account REGSTORE_TEST_AZURE_* names).</summary>
public sealed class AzureConformance : StorageDriverConformance
{
    /// <inheritdoc />
    protected override async ValueTask<IStorageDriver> CreateDriverAsync(string rootName, CancellationToken cancellationToken) =>
        await AzureTestServer.CreateDriverAsync(rootName, cancellationToken: cancellationToken);
}
