using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Registry.Storage.Drivers.S3.Tests;

/// <summary>
/// A TCP proxy in front of the real RGW that answers the first <c>faults</c> connections
/// with S3's <c>503 SlowDown</c> and closes them, then pipes every later connection through
/// unchanged — so the SDK's retry and backoff are exercised against the real server.
/// </summary>
internal sealed class FaultInjectingProxy : IAsyncDisposable
{
    private const string SlowDownBody = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>";
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Uri _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private int _faultsLeft;
    private int _faultsServed;

    public FaultInjectingProxy(Uri target, int faults)
    {
        _target = target;
        _faultsLeft = faults;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    /// <summary>The proxy's endpoint, to use as regionendpoint.</summary>
    public string Endpoint => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    /// <summary>How many SlowDown answers were sent.</summary>
    public int FaultsServed => Volatile.Read(ref _faultsServed);

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            _ = Interlocked.Decrement(ref _faultsLeft) >= 0 ? FailAsync(client) : PipeAsync(client);
        }
    }

    private async Task FailAsync(TcpClient client)
    {
        using (client)
        {
            var stream = client.GetStream();
            // Read the request head (and whatever body arrived) before answering.
            var buffer = new byte[64 * 1024];
            _ = await stream.ReadAsync(buffer, _stop.Token);
            var body = Encoding.UTF8.GetBytes(SlowDownBody);
            var head = $"HTTP/1.1 503 Slow Down\r\nContent-Type: application/xml\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head), _stop.Token);
            await stream.WriteAsync(body, _stop.Token);
            Interlocked.Increment(ref _faultsServed);
        }
    }

    private async Task PipeAsync(TcpClient client)
    {
        using (client)
        using (var server = new TcpClient())
        {
            await server.ConnectAsync(_target.Host, _target.Port, _stop.Token);
            var a = client.GetStream();
            var b = server.GetStream();
            try
            {
                await Task.WhenAny(a.CopyToAsync(b, _stop.Token), b.CopyToAsync(a, _stop.Token));
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException)
            {
                // a side closed
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }
}
