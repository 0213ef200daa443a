using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using Registry.Storage.Drivers.Shared;

namespace Registry.Storage.Drivers.Swift.Tests;

public class PartContentTests
{
    private const int PartSize = (4 << 20) + 12345;

    [Test]
    public async Task The_part_arrives_whole_and_an_idle_pooled_connection_keeps_no_reference_to_it()
    {
        using var server = new KeepAliveServer();
        using var client = new HttpClient(new SocketsHttpHandler());

        var (part, hash) = await SendAsync(client, server.Uri, data => new PartContent(data));

        server.ReceivedBodies.ShouldBe([hash]);
        (await StaysReachableAsync(part)).ShouldBeFalse("the part's buffer should be unreachable once its request completed");
    }

    [Test]
    public async Task ReadOnlyMemoryContent_leaves_the_part_referenced_by_the_idle_connection_which_is_why_PartContent_exists()
    {
        using var server = new KeepAliveServer();
        using var client = new HttpClient(new SocketsHttpHandler());

        var (part, _) = await SendAsync(client, server.Uri, data => new ReadOnlyMemoryContent(data));

        (await StaysReachableAsync(part)).ShouldBeTrue("this runtime's socket keeps its last send buffer; if it no longer does, PartContent's copy is not needed");
    }

    [Test]
    public async Task An_empty_part_is_sent_with_a_zero_length()
    {
        using var server = new KeepAliveServer();
        using var client = new HttpClient(new SocketsHttpHandler());

        using var response = await client.PutAsync(server.Uri, new PartContent(ReadOnlyMemory<byte>.Empty));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        server.ReceivedBodies.ShouldBe([Convert.ToHexString(SHA256.HashData([]))]);
    }

    // Not inlined, so the part's only references are this call's and what the client keeps.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static async Task<(WeakReference Part, string Hash)> SendAsync(HttpClient client, Uri uri, Func<byte[], HttpContent> content)
    {
        var data = new byte[PartSize];
        Random.Shared.NextBytes(data);
        using (var response = await client.PutAsync(uri, content(data)))
        {
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        return (new WeakReference(data), Convert.ToHexString(SHA256.HashData(data)));
    }

    // Collects from fresh stacks (after a delay) a few times: the test's continuation may still run
    // on the stack of the completed request, whose frames hold the part until they return.
    private static async Task<bool> StaysReachableAsync(WeakReference part)
    {
        for (var attempt = 0; attempt < 20 && part.IsAlive; attempt++)
        {
            await Task.Delay(25);
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
        }

        return part.IsAlive;
    }

    /// <summary>An HTTP/1.1 server on 127.0.0.1 that answers 200 to every request and keeps the connection open, recording each body's SHA-256.</summary>
    private sealed class KeepAliveServer : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new();
        private readonly ConcurrentQueue<string> _bodies = new();

        public KeepAliveServer()
        {
            _listener.Start();
            _ = AcceptAsync();
        }

        public Uri Uri => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/part");

        public string[] ReceivedBodies => [.. _bodies];

        private async Task AcceptAsync()
        {
            try
            {
                while (true)
                {
                    var connection = await _listener.AcceptTcpClientAsync(_stop.Token);
                    _ = ServeAsync(connection);
                }
            }
            catch (OperationCanceledException)
            {
            }
        }

        private async Task ServeAsync(TcpClient connection)
        {
            using var _ = connection;
            var stream = connection.GetStream();
            try
            {
                while (await ReadHeadersAsync(stream) is { } length)
                {
                    var body = new byte[length];
                    await stream.ReadExactlyAsync(body, _stop.Token);
                    _bodies.Enqueue(Convert.ToHexString(SHA256.HashData(body)));
                    await stream.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"u8.ToArray(), _stop.Token);
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException or EndOfStreamException)
            {
            }
        }

        // The request's Content-Length, or null when the client closed the connection.
        private async Task<int?> ReadHeadersAsync(NetworkStream stream)
        {
            var head = new StringBuilder();
            var one = new byte[1];
            while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
            {
                if (await stream.ReadAsync(one, _stop.Token) == 0)
                {
                    return null;
                }

                head.Append((char)one[0]);
            }

            var header = head.ToString().Split("\r\n").FirstOrDefault(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
            return header is null ? 0 : int.Parse(header["Content-Length:".Length..].Trim(), CultureInfo.InvariantCulture);
        }

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
            _stop.Dispose();
        }
    }
}
