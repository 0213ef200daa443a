using System.Net;
using System.Net.Security;

namespace Registry.Storage.Drivers.Swift;

/// <summary>The HTTP stack the driver talks to Swift with.</summary>
internal static class SwiftHttp
{
    public static SocketsHttpHandler CreateHandler(bool insecureSkipVerify)
    {
        var handler = new SocketsHttpHandler
        {
            // distribution allowed 60 s to connect; connections are recycled so DNS changes are seen.
            ConnectTimeout = TimeSpan.FromSeconds(60),
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            MaxConnectionsPerServer = 256,
            AutomaticDecompression = DecompressionMethods.None,
            AllowAutoRedirect = false,
            UseCookies = false,
        };
        if (insecureSkipVerify)
        {
            // Only on explicit request (distribution's insecureskipverify), for self-signed test clusters.
#pragma warning disable CA5359
            handler.SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = (_, _, _, _) => true };
#pragma warning restore CA5359
        }

        return handler;
    }
}
