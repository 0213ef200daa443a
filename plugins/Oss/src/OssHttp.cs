using System.Net;
using System.Net.Sockets;

namespace Registry.Storage.Drivers.Oss;

/// <summary>Creates the HTTP handler the driver sends through.</summary>
internal static class OssHttp
{
    /// <summary>
    /// A pooled <see cref="SocketsHttpHandler"/>. With <paramref name="testLoopback"/> every
    /// connection goes to 127.0.0.1 at the URL's port whatever its host name — only that
    /// address, so the switch can never send traffic elsewhere — and the Host header still
    /// names <c>bucket.endpoint</c>, as virtual-hosted OSS requests must.
    /// </summary>
    public static SocketsHttpHandler CreateHandler(bool testLoopback)
    {
        var handler = new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            AutomaticDecompression = DecompressionMethods.None,
            MaxConnectionsPerServer = 64,
            UseCookies = false,
            AllowAutoRedirect = false,
        };
        if (testLoopback)
        {
            handler.ConnectCallback = ConnectLoopbackAsync;
        }

        return handler;
    }

    private static async ValueTask<Stream> ConnectLoopbackAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, context.DnsEndPoint.Port), cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
