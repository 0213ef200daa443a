using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Registry.Storage.Drivers.Swift;

/// <summary>
/// Swift's TempURL signatures: <c>HMAC(key, "METHOD\nEXPIRES\nPATH")</c> in hex, where PATH is
/// the unescaped <c>/v1/AUTH_x/container/object</c>; SHA-256 when the cluster allows it
/// (<c>/info</c> <c>allowed_digests</c>), SHA-1 for clusters that know nothing else.
/// </summary>
/// <remarks>Holds the key: <see cref="ToString"/> never shows it.</remarks>
internal sealed class SwiftTempUrl(string key, string digest, IReadOnlyList<string> methods, string? accessKey, string? tenantId)
{
    /// <summary>The digest signatures use: <c>sha256</c> or <c>sha1</c>.</summary>
    public string Digest { get; } = digest;

    /// <summary>Picks SHA-256 when allowed, else SHA-1 (what clusters before 2.x accept).</summary>
    public static string ChooseDigest(IReadOnlyList<string> allowed) =>
        allowed.Contains("sha256", StringComparer.OrdinalIgnoreCase) ? "sha256" : "sha1";

    /// <summary>Whether URLs can be signed for <paramref name="method"/> (HEAD rides on a GET signature).</summary>
    public bool Supports(string method) => methods.Contains(SignedMethod(method), StringComparer.OrdinalIgnoreCase);

    /// <summary>The URL of <paramref name="objectUrl"/> valid for <paramref name="method"/> until <paramref name="expiresAt"/>.</summary>
    public Uri Sign(Uri objectUrl, string method, DateTimeOffset expiresAt)
    {
        var expires = expiresAt.ToUnixTimeSeconds();
        var path = Uri.UnescapeDataString(objectUrl.AbsolutePath);
        var signature = Signature(key, Digest, SignedMethod(method), expires, path);
        if (accessKey is not null)
        {
            // HP Cloud's form of the signature.
            signature = $"{tenantId}:{accessKey}:{signature}";
        }

        var query = $"temp_url_sig={Uri.EscapeDataString(signature)}&temp_url_expires={expires.ToString(CultureInfo.InvariantCulture)}";
        return new Uri(objectUrl.GetLeftPart(UriPartial.Path) + "?" + query);
    }

    /// <summary>The hex HMAC of <c>"{method}\n{expires}\n{path}"</c> with <paramref name="key"/>.</summary>
    internal static string Signature(string key, string digest, string method, long expires, string path)
    {
        var message = Encoding.UTF8.GetBytes($"{method}\n{expires.ToString(CultureInfo.InvariantCulture)}\n{path}");
        var keyBytes = Encoding.UTF8.GetBytes(key);
#pragma warning disable CA5350 // SHA-1 only for clusters whose TempURL accepts nothing else.
        var mac = digest == "sha256" ? HMACSHA256.HashData(keyBytes, message) : HMACSHA1.HashData(keyBytes, message);
#pragma warning restore CA5350
        return Convert.ToHexStringLower(mac);
    }

    // A HEAD request is allowed on a URL signed for GET (distribution signs HEAD as GET too).
    private static string SignedMethod(string method) =>
        string.Equals(method, "HEAD", StringComparison.OrdinalIgnoreCase) ? "GET" : method.ToUpperInvariant();

    public override string ToString() => $"SwiftTempUrl {{ Digest = {Digest}, Key = *** }}";
}
