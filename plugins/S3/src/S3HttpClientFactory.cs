using System.Net.Security;
using System.Net.Sockets;
using Amazon.Runtime;

namespace Registry.Storage.Drivers.S3;

/// <summary>
/// Gives the SDK an <see cref="HttpClient"/> whose sockets acknowledge at once. RGW (beast)
/// writes a small response in two pieces; with Nagle on the server and delayed ACK on the
/// client, the second piece waits ~40 ms for an ACK (services.md measured 43 ms per small
/// GET). TCP_NODELAY on our side and TCP_QUICKACK re-armed before every read remove the
/// client's half of that stall.
/// </summary>
internal sealed class S3HttpClientFactory(bool skipVerify, bool quickAck) : HttpClientFactory
{
    // Linux's IPPROTO_TCP / TCP_QUICKACK, set raw: .NET's SocketOptionName mapping rejects
    // names it does not know. The option is not sticky (the kernel returns to delayed ACKs), hence per read.
    private const int IpProtoTcp = 6;
    private const int TcpQuickAck = 12;
    private static readonly byte[] One = BitConverter.GetBytes(1);

    /// <inheritdoc />
    public override HttpClient CreateHttpClient(IClientConfig clientConfig)
    {
        var handler = new SocketsHttpHandler
        {
            // Re-resolve and rebalance now and then; idle sockets close before servers drop them.
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(50),
            MaxConnectionsPerServer = clientConfig.MaxConnectionsPerServer ?? int.MaxValue,
            AllowAutoRedirect = false,
            ConnectTimeout = clientConfig.ConnectTimeout ?? TimeSpan.FromSeconds(10),
            ConnectCallback = quickAck ? ConnectAsync : null,
        };
        if (skipVerify)
        {
            // The user asked for it (distribution's skipverify), e.g. for a store with a self-signed certificate.
#pragma warning disable CA5359
            handler.SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = static (_, _, _, _) => true };
#pragma warning restore CA5359
        }

        // The SDK applies its own per-request timeout; a whole 5 GiB part may take long.
        return new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <inheritdoc />
    public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => true;

    /// <inheritdoc />
    public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => false;

    /// <inheritdoc />
    public override string GetConfigUniqueString(IClientConfig clientConfig) => $"regstore-s3:{skipVerify}:{quickAck}";

    private static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(context.DnsEndPoint, cancellationToken).ConfigureAwait(false);
            return OperatingSystem.IsLinux() ? new QuickAckStream(socket) : new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>A socket stream that asks for an immediate ACK before each read (Linux).</summary>
    private sealed class QuickAckStream(Socket socket) : NetworkStream(socket, ownsSocket: true)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            ArmQuickAck();
            return base.ReadAsync(buffer, cancellationToken);
        }

        public override int Read(Span<byte> buffer)
        {
            ArmQuickAck();
            return base.Read(buffer);
        }

        private void ArmQuickAck()
        {
            try
            {
                Socket.SetRawSocketOption(IpProtoTcp, TcpQuickAck, One);
            }
            catch (SocketException)
            {
                // An optimisation only: a socket that refuses it still works.
            }
            catch (ObjectDisposedException)
            {
                // The read below reports the closed socket.
            }
        }
    }
}
