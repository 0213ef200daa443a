using Azure.Storage.Sas;

namespace Registry.Storage.Drivers.Azure;

/// <summary>RedirectURL: a read-only blob SAS signed with the account key (distribution's <c>SignBlobURL</c>).</summary>
internal static class AzureRedirects
{
    /// <summary>Tolerance for clocks behind ours, as distribution starts its SAS 10 s early.</summary>
    private static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(10);

    /// <summary>A URL that reads <paramref name="path"/> until <paramref name="expiry"/> from now, or null when the credentials cannot sign.</summary>
    public static Uri? SignedUrl(AzureContext context, string path, TimeSpan expiry)
    {
        if (context.SharedKey is not { } key)
        {
            return null;
        }

        var blob = context.Blob(path);
        var now = context.Time.GetUtcNow();
        var sas = new BlobSasBuilder
        {
            BlobContainerName = blob.BlobContainerName,
            BlobName = blob.Name,
            Resource = "b",
            StartsOn = now - ClockSkew,
            ExpiresOn = now + expiry,
            // Plain http only when the endpoint itself is http (an emulator); https otherwise.
            Protocol = blob.Uri.Scheme == Uri.UriSchemeHttps ? SasProtocol.Https : SasProtocol.HttpsAndHttp,
        };
        sas.SetPermissions(BlobSasPermissions.Read);
        return new UriBuilder(blob.Uri) { Query = sas.ToSasQueryParameters(key).ToString() }.Uri;
    }
}
