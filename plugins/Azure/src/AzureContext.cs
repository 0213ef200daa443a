using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Specialized;

namespace Registry.Storage.Drivers.Azure;

/// <summary>What every part of the driver shares: the container, the key layout, the settings and the clock.</summary>
internal sealed class AzureContext
{
    /// <summary>Creates the context.</summary>
    public AzureContext(string driverName, AzureParameters parameters, AzureAuth auth, TimeProvider time)
    {
        DriverName = driverName;
        Parameters = parameters;
        Container = auth.Container;
        SharedKey = auth.SharedKey;
        Keys = new AzureKeys(parameters.RootDirectory);
        Time = time;
    }

    /// <summary>The registered driver name, for errors.</summary>
    public string DriverName { get; }

    /// <summary>The parsed configuration.</summary>
    public AzureParameters Parameters { get; }

    /// <summary>The configured container.</summary>
    public BlobContainerClient Container { get; }

    /// <summary>The account key, when the credentials can sign SAS URLs.</summary>
    public StorageSharedKeyCredential? SharedKey { get; }

    /// <summary>Path ↔ blob name.</summary>
    public AzureKeys Keys { get; }

    /// <summary>The clock for expiries and session ids.</summary>
    public TimeProvider Time { get; }

    /// <summary>The client of the blob holding <paramref name="path"/>, whatever its type.</summary>
    public BlobClient Blob(string path) => Container.GetBlobClient(Keys.BlobName(path));

    /// <summary>The block-blob client of <paramref name="path"/>.</summary>
    public BlockBlobClient BlockBlob(string path) => Container.GetBlockBlobClient(Keys.BlobName(path));

    /// <summary>The append-blob client of <paramref name="path"/> (blobs distribution's driver wrote).</summary>
    public AppendBlobClient AppendBlob(string path) => Container.GetAppendBlobClient(Keys.BlobName(path));

    /// <summary>The contract's error for <paramref name="exception"/> raised by <paramref name="operation"/> on <paramref name="path"/>.</summary>
    public Exception Error(string operation, string? path, Exception exception) => AzureErrors.Map(DriverName, operation, path, exception);
}
