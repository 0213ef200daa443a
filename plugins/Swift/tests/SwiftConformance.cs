using Registry.Storage.Drivers.Swift.Tests;

namespace Registry.Storage.Conformance;

/// <summary>Distribution's storage-driver suite against the swift driver on the real Swift cluster of services/swift.</summary>
public sealed class SwiftConformance : StorageDriverConformance
{
    /// <inheritdoc />
    protected override async ValueTask<IStorageDriver> CreateDriverAsync(string rootName, CancellationToken cancellationToken) =>
        await SwiftTestServer.CreateDriverAsync(rootName, cancellationToken: cancellationToken);
}
