using System.Security.Cryptography;
using System.Text;

namespace Registry.Storage.Drivers.Oss.Signing;

/// <summary>The percent-encoding and hashing primitives both signature versions share.</summary>
public static class OssEncoding
{
    /// <summary>
    /// RFC 3986 encoding: every byte of the UTF-8 form except <c>A-Z a-z 0-9 - _ . ~</c> becomes
    /// <c>%XX</c> (upper-case hex) — OSS V4 encodes <c>!'()*</c> too; <paramref name="keepSlash"/> keeps <c>/</c> for paths.
    /// </summary>
    public static string Encode(string value, bool keepSlash = false)
    {
        ArgumentNullException.ThrowIfNull(value);
        var builder = new StringBuilder(value.Length);
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_' or '.' or '~' || (keepSlash && c == '/'))
            {
                builder.Append(c);
            }
            else
            {
                builder.Append('%').Append(HexUpper[b >> 4]).Append(HexUpper[b & 0xF]);
            }
        }

        return builder.ToString();
    }

    /// <summary>Lower-case hex of the SHA-256 of <paramref name="text"/>'s UTF-8 bytes.</summary>
    public static string Sha256Hex(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>HMAC-SHA256 of <paramref name="text"/> under <paramref name="key"/>.</summary>
    public static byte[] HmacSha256(byte[] key, string text) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(text));

    /// <summary>Base64 HMAC-SHA1 of <paramref name="text"/> under <paramref name="secret"/> (V1).</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA5350", Justification = "OSS signature V1 is defined as HMAC-SHA1; V4 is the default.")]
    public static string HmacSha1Base64(string secret, string text) =>
        Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(text)));

    /// <summary>Base64 MD5 of <paramref name="data"/>, as <c>Content-MD5</c> wants it.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA5351", Justification = "Content-MD5 is OSS's integrity check (DeleteMultipleObjects requires it), not a security measure.")]
    public static string Md5Base64(ReadOnlySpan<byte> data) => Convert.ToBase64String(MD5.HashData(data));

    private const string HexUpper = "0123456789ABCDEF";
}
