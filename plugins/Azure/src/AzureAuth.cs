using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;
using Azure.Storage;
using Azure.Storage.Blobs;

namespace Registry.Storage.Drivers.Azure;

/// <summary>
/// Builds the container client for the configured credentials (distribution's <c>auth.go</c>)
/// and keeps the shared key when there is one, because only a shared key can sign the SAS
/// URLs RedirectURL hands out.
/// </summary>
internal sealed class AzureAuth
{
    private AzureAuth(BlobContainerClient container, StorageSharedKeyCredential? sharedKey)
    {
        Container = container;
        SharedKey = sharedKey;
    }

    /// <summary>The client for the configured container.</summary>
    public BlobContainerClient Container { get; }

    /// <summary>The account key, when the credentials have one; <see langword="null"/> for token credentials.</summary>
    public StorageSharedKeyCredential? SharedKey { get; }

    /// <summary>Creates the clients for <paramref name="parameters"/>; makes no request.</summary>
    public static AzureAuth Create(AzureParameters parameters)
    {
        var options = ClientOptions(parameters);
        switch (parameters.CredentialsType)
        {
            case AzureCredentialsType.SharedKey:
                var key = new StorageSharedKeyCredential(parameters.AccountName!, parameters.AccountKey!);
                return new AzureAuth(new BlobServiceClient(parameters.ServiceUrl!, key, options).GetBlobContainerClient(parameters.Container), key);

            case AzureCredentialsType.ConnectionString:
                var service = new BlobServiceClient(parameters.ConnectionString!, options);
                var container = service.GetBlobContainerClient(parameters.Container);
                return new AzureAuth(container, SharedKeyOf(parameters.ConnectionString!, service.AccountName));

            default:
                TokenCredential token = parameters.CredentialsType == AzureCredentialsType.ClientSecret
                    ? new ClientSecretCredential(parameters.TenantId!, parameters.ClientId!, parameters.ClientSecret!)
                    : new DefaultAzureCredential();
                return new AzureAuth(new BlobServiceClient(parameters.ServiceUrl!, token, options).GetBlobContainerClient(parameters.Container), null);
        }
    }

    private static BlobClientOptions ClientOptions(AzureParameters parameters)
    {
        var options = new BlobClientOptions();

        // The SDK's own retries cover blips inside one request (a block upload cannot be repeated
        // from outside); its default of six tries over ~27 s made a dead endpoint look like a hang.
        // Longer policies belong to the host's retry decorator, which the operator configures.
        options.Retry.MaxRetries = 3;
        options.Retry.Delay = TimeSpan.FromMilliseconds(200);
        options.Retry.MaxDelay = TimeSpan.FromSeconds(2);
        if (parameters.SkipVerify)
        {
            // distribution's skipverify: for test endpoints with self-signed certificates only.
#pragma warning disable CA2000 // the transport owns the handler for the client's lifetime
            var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator };
#pragma warning restore CA2000
            options.Transport = new HttpClientTransport(handler);
        }

        return options;
    }

    // A connection string with AccountKey=... can sign SAS URLs like an explicit shared key.
    private static StorageSharedKeyCredential? SharedKeyOf(string connectionString, string accountName)
    {
        foreach (var part in connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0 && part[..equals].Equals("AccountKey", StringComparison.OrdinalIgnoreCase))
            {
                return new StorageSharedKeyCredential(accountName, part[(equals + 1)..]);
            }
        }

        return null;
    }
}
