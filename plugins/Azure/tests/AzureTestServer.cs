using Azure.Storage;
using Azure.Storage.Blobs;
using Registry.Storage.Conformance;

namespace Registry.Storage.Drivers.Azure.Tests;

/// <summary>The Azurite (or real account) the tests run against, from REGSTORE_TEST_AZURE_* (services/azurite/start.sh writes them).</summary>
internal static class AzureTestServer
{
    /// <summary>The configured parameters; ignores the test without them (fails under CI=true).</summary>
    public static DriverParameters Parameters() =>
        ConformanceEnvironment.RequireParametersFor(AzureDriverFactory.DriverName, "accountname", "container");

    /// <summary>A fresh root segment so runs never collide.</summary>
    public static string NewRootName() => "regstore-azure-" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>A driver whose rootdirectory is the configured one (if any) plus <paramref name="rootName"/>.</summary>
    public static async ValueTask<AzureDriver> CreateDriverAsync(string rootName, Func<DriverParameters, DriverParameters>? adjust = null, CancellationToken cancellationToken = default)
    {
        var parameters = Parameters();
        var baseRoot = parameters.GetString("rootdirectory")?.Trim('/');
        parameters = parameters.With("rootdirectory", string.IsNullOrEmpty(baseRoot) ? rootName : baseRoot + "/" + rootName);
        parameters = adjust?.Invoke(parameters) ?? parameters;
        return (AzureDriver)await new AzureDriverFactory().CreateAsync(parameters, cancellationToken);
    }

    /// <summary>A plain SDK client of the same container, to set up blobs the way other tools (distribution) write them.</summary>
    public static BlobContainerClient Container(AzureDriver driver)
    {
        var p = driver.Parameters;
        var service = new BlobServiceClient(p.ServiceUrl!, new StorageSharedKeyCredential(p.AccountName!, p.AccountKey!));
        return service.GetBlobContainerClient(p.Container);
    }
}
