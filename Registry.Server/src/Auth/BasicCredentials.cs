using System.Text;
using Microsoft.AspNetCore.Http;

namespace Registry.Server.Auth;

/// <summary>Reads <c>Authorization: Basic</c> credentials.</summary>
internal static class BasicCredentials
{
    public static bool TryRead(HttpRequest request, out string user, out string password)
    {
        user = password = string.Empty;
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim()));
        }
        catch (FormatException)
        {
            return false;
        }

        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            return false;
        }

        user = decoded[..colon];
        password = decoded[(colon + 1)..];
        return true;
    }
}
