using Registry.Storage.Drivers.Rados.Tests;

namespace Registry.Storage.Conformance;

/// <summary>Distribution's storage-driver suite against the rados driver on a real Ceph cluster.</summary>
public sealed class RadosConformance : StorageDriverConformance
{
    /// <inheritdoc />
    protected override async ValueTask<IStorageDriver> CreateDriverAsync(string rootName, CancellationToken cancellationToken) =>
        // rootdirectory prefixes every object id, so each run's objects are its own.
        await RadosTestCluster.CreateDriverAsync(rootName);
}
