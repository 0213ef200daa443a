using Registry.Storage.Drivers.S3;
using Registry.Storage.Drivers.S3.Tests;

namespace Registry.Storage.Conformance;

/// <summary>Distribution's storage-driver suite against the s3 driver on a real RADOS Gateway.</summary>
public sealed class S3Conformance : StorageDriverConformance
{
    /// <inheritdoc />
    protected override ValueTask<IStorageDriver> CreateDriverAsync(string rootName, CancellationToken cancellationToken) =>
        // The object-store root is a key prefix: "/<rootName>" keeps every run's keys apart.
        ValueTask.FromResult<IStorageDriver>(S3TestServer.Create(rootName));
}
