using System.Security.Cryptography;

namespace Registry.Storage.Drivers.Swift;

/// <summary>
/// Finds the TempURL key as distribution's driver does: on the container (Swift 2.3.0 and
/// later) or the account; the configured <c>secretkey</c> is written there when it differs,
/// and with neither a configured nor an existing key, a random one is generated and written.
/// </summary>
internal static class SwiftTempUrlKey
{
    public static async Task<SwiftTempUrl?> ResolveAsync(SwiftClient client, SwiftParameters parameters, SwiftInfo? info, CancellationToken cancellationToken)
    {
        var methods = info is not null ? info.TempUrlMethods : parameters.TempUrlMethods;
        if (methods.Count == 0)
        {
            return null; // no tempurl middleware: no redirects
        }

        var onContainer = info?.SupportsContainerTempUrlKey ?? parameters.TempUrlContainerKey;
        var header = onContainer ? "X-Container-Meta-Temp-Url-Key" : "X-Account-Meta-Temp-Url-Key";
        var existing = await client.GetMetadataAsync(onContainer, header, cancellationToken).ConfigureAwait(false);
        var wanted = parameters.SecretKey ?? (string.IsNullOrEmpty(existing) ? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)) : existing);
        var key = existing;
        if (wanted != existing && await client.TrySetMetadataAsync(onContainer, header, wanted, cancellationToken).ConfigureAwait(false))
        {
            key = wanted;
        }

        if (string.IsNullOrEmpty(key))
        {
            return null; // not allowed to set one (distribution then gives no redirects either)
        }

        var digest = SwiftTempUrl.ChooseDigest(info?.TempUrlDigests ?? []);
        return new SwiftTempUrl(key, digest, methods, parameters.AccessKey, parameters.TenantId);
    }
}
