using Registry.Storage.Drivers.Oss;
using Registry.Storage.Drivers.Oss.Tests;

namespace Registry.Storage.Conformance;

/// <summary>
/// Distribution's storage-driver suite against the oss driver: on the bucket named by
/// <c>REGSTORE_TEST_OSS_*</c> (the standalone stand-in, or a real OSS bucket), else on an
/// in-process stand-in — never skipped, since the stand-in always runs.
/// </summary>
public sealed class OssConformance : StorageDriverConformance
{
    /// <inheritdoc />
    protected override async ValueTask<IStorageDriver> CreateDriverAsync(string rootName, CancellationToken cancellationToken)
    {
        var parameters = await OssTestServer.ParametersAsync(rootName);
        return await new OssDriverFactory().CreateAsync(parameters, cancellationToken);
    }
}
