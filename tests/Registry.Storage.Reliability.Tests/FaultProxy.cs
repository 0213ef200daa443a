using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Registry.Storage.Reliability.Tests;

/// <summary>
/// A fault-injecting TCP proxy between a driver and its real server: listens on an ephemeral
/// port of 127.0.0.1 and forwards every connection to <c>127.0.0.1:targetPort</c>. It reads the
/// client's side as HTTP/1.1 (request line, headers, a Content-Length or chunked body), so faults
/// can hit one kind of request; the server's side is forwarded as bytes.
/// </summary>
/// <remarks>
/// Modes: <see cref="Refuse"/> (listener closed: connection refused), <see cref="Stall"/>
/// (accept, forward nothing until released), <see cref="Throttle"/> (bytes per second, both
/// directions), and per-request rules (<see cref="AddRule"/>): reset the connection (RST)
/// when a matching request arrives (the server never sees it), reset after N bytes of its
/// response, or answer it in place of the server.
/// </remarks>
internal sealed class FaultProxy : IAsyncDisposable
{
    private readonly int _targetPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Connection> _connections = [];
    private readonly List<FaultRule> _rules = [];
    private readonly Lock _lock = new();
    private TcpListener? _listener;
    private Task _acceptLoop = Task.CompletedTask;
    private TaskCompletionSource _released = Released();
    private long _bytesPerSecond;
    private int _faults;
    private int _requests;

    private FaultProxy(int targetPort)
    {
        _targetPort = targetPort;
    }

    /// <summary>The port the proxy listens on (kept across <see cref="Refuse"/>/<see cref="Resume"/>).</summary>
    public int Port { get; private set; }

    /// <summary>Faults injected so far (refused connections are the client's to count).</summary>
    public int Faults => Volatile.Read(ref _faults);

    /// <summary>Requests seen on the client side so far.</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Request lines seen, in order (for failure messages), while <see cref="KeepRequestLines"/>.</summary>
    public List<string> RequestLines { get; } = [];

    /// <summary>Whether <see cref="RequestLines"/> grows; a soak turns it off, or its memory would grow by design.</summary>
    public bool KeepRequestLines { get; set; } = true;

    /// <summary>Starts a proxy to <c>127.0.0.1:<paramref name="targetPort"/></c>.</summary>
    public static FaultProxy Start(int targetPort)
    {
        var proxy = new FaultProxy(targetPort);
        proxy.Listen(0);
        return proxy;
    }

    /// <summary>Connections are refused (the listener is closed) and open ones are closed, until <see cref="Resume"/>.</summary>
    public void Refuse()
    {
        lock (_lock)
        {
            _listener?.Stop();
            _listener = null;
            foreach (var connection in _connections.ToArray())
            {
                connection.Close(reset: false);
            }
        }
    }

    /// <summary>Listens again on the same port and releases a stall.</summary>
    public void Resume()
    {
        lock (_lock)
        {
            if (_listener is null)
            {
                Listen(Port);
            }
        }

        _released.TrySetResult();
    }

    /// <summary>Accepts connections and requests but forwards nothing until <see cref="Resume"/>.</summary>
    public void Stall()
    {
        if (_released.Task.IsCompleted)
        {
            _released = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    /// <summary>Limits each direction of each connection to <paramref name="bytesPerSecond"/> (0: unlimited).</summary>
    public void Throttle(long bytesPerSecond) => Interlocked.Exchange(ref _bytesPerSecond, bytesPerSecond);

    /// <summary>Adds a per-request fault; rules are tried in order, the first matching one with hits left acts.</summary>
    public void AddRule(FaultRule rule)
    {
        lock (_lock)
        {
            _rules.Add(rule);
        }
    }

    /// <summary>Removes every rule.</summary>
    public void ClearRules()
    {
        lock (_lock)
        {
            _rules.Clear();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _released.TrySetResult();
        lock (_lock)
        {
            _listener?.Stop();
            foreach (var connection in _connections.ToArray())
            {
                connection.Close(reset: false);
            }
        }

        try
        {
            await _acceptLoop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // stopping
        }

        _stop.Dispose();
    }

    private static TaskCompletionSource Released()
    {
        var released = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        released.SetResult();
        return released;
    }

    private void Listen(int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        _listener = listener;
        _acceptLoop = AcceptAsync(listener);
    }

    private async Task AcceptAsync(TcpListener listener)
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptSocketAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
            {
                return; // refused or disposed
            }

            client.NoDelay = true;
            var connection = new Connection(this, client);
            lock (_lock)
            {
                _connections.Add(connection);
            }

            _ = connection.RunAsync();
        }
    }

    private FaultRule? Match(string requestLine)
    {
        lock (_lock)
        {
            Interlocked.Increment(ref _requests);
            if (KeepRequestLines)
            {
                RequestLines.Add(requestLine);
            }

            foreach (var rule in _rules)
            {
                if (rule.Matches(requestLine) && rule.TryTake())
                {
                    if (rule.Exhausted)
                    {
                        _rules.Remove(rule); // a long run adds one-shot rules by the thousand
                    }

                    return rule;
                }
            }

            return null;
        }
    }

    private void Forget(Connection connection)
    {
        lock (_lock)
        {
            _connections.Remove(connection);
        }
    }

    private async Task ThrottleAsync(int bytes, CancellationToken cancellationToken)
    {
        var rate = Interlocked.Read(ref _bytesPerSecond);
        if (rate > 0)
        {
            await Task.Delay(TimeSpan.FromSeconds((double)bytes / rate), cancellationToken).ConfigureAwait(false);
        }
    }

    private int ChunkLimit(int buffer)
    {
        var rate = Interlocked.Read(ref _bytesPerSecond);
        return rate > 0 ? (int)Math.Clamp(rate / 20, 1, buffer) : buffer;
    }

    /// <summary>One proxied connection: an HTTP-aware request pump and a byte pump for responses.</summary>
    private sealed class Connection(FaultProxy proxy, Socket client) : IDisposable
    {
        private readonly CancellationTokenSource _closed = CancellationTokenSource.CreateLinkedTokenSource(proxy._stop.Token);
        private Socket? _server;
        private long _resetAfter = -1;
        private int _isClosed;

        public async Task RunAsync()
        {
            try
            {
                await proxy._released.Task.WaitAsync(_closed.Token).ConfigureAwait(false);
                _server = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await _server.ConnectAsync(new IPEndPoint(IPAddress.Loopback, proxy._targetPort), _closed.Token).ConfigureAwait(false);
                var responses = PumpResponsesAsync(_server);
                await PumpRequestsAsync(_server).ConfigureAwait(false);
                await responses.ConfigureAwait(false);
            }
#pragma warning disable CA1031 // a proxied connection ends however its sockets end; the client sees that
            catch (Exception)
#pragma warning restore CA1031
            {
                // the driver sees a closed or reset connection
            }
            finally
            {
                proxy.Forget(this);
                Dispose();
            }
        }

        public void Dispose()
        {
            Close(reset: false);
            _server?.Dispose();
            _closed.Dispose();
        }

        public void Close(bool reset)
        {
            if (Interlocked.Exchange(ref _isClosed, 1) == 1)
            {
                return;
            }

            if (reset)
            {
                // RST instead of FIN: the client's read fails with "connection reset by peer".
                client.LingerState = new LingerOption(true, 0);
            }

            client.Close();
            _server?.Close();
            _closed.Cancel();
        }

        private async Task PumpRequestsAsync(Socket server)
        {
            var reader = new HttpRequestReader(client, _closed.Token);
            while (await reader.ReadHeadAsync().ConfigureAwait(false) is { } head)
            {
                var rule = proxy.Match(head.RequestLine);
                switch (rule?.Action)
                {
                    case FaultAction.ResetOnRequest:
                        Interlocked.Increment(ref proxy._faults);
                        Close(reset: true);
                        return;
                    case FaultAction.Answer:
                        Interlocked.Increment(ref proxy._faults);
                        if (head.ExpectsContinue)
                        {
                            await client.SendAsync("HTTP/1.1 100 Continue\r\n\r\n"u8.ToArray(), _closed.Token).ConfigureAwait(false);
                        }

                        await reader.CopyBodyAsync(head, null, 0, null, _closed.Token).ConfigureAwait(false);
                        await client.SendAsync(rule.Answer, _closed.Token).ConfigureAwait(false);
                        Close(reset: false); // the canned answer says Connection: close
                        return;
                    case FaultAction.ResetResponseAfter:
                        Interlocked.Exchange(ref _resetAfter, rule.Bytes);
                        break;
                }

                await proxy._released.Task.WaitAsync(_closed.Token).ConfigureAwait(false);
                await SendAsync(server, head.Bytes).ConfigureAwait(false);
                await reader.CopyBodyAsync(head, server, proxy.ChunkLimit(64 * 1024), proxy.ThrottleAsync, _closed.Token).ConfigureAwait(false);
            }

            server.Shutdown(SocketShutdown.Send);
        }

        private async Task PumpResponsesAsync(Socket server)
        {
            try
            {
                await ForwardResponsesAsync(server).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The server's side broke (a killed server resets it): so does the client's, as on a
                // real network. The request pump alone would wait for the client's next request
                // while the client waits for an answer.
                Close(reset: true);
                throw;
            }
        }

        private async Task ForwardResponsesAsync(Socket server)
        {
            var buffer = new byte[64 * 1024];
            while (true)
            {
                var n = await server.ReceiveAsync(buffer.AsMemory(0, proxy.ChunkLimit(buffer.Length)), _closed.Token).ConfigureAwait(false);
                if (n == 0)
                {
                    client.Shutdown(SocketShutdown.Send);
                    return;
                }

                var left = Interlocked.Read(ref _resetAfter);
                if (left >= 0 && n > left)
                {
                    // Forward what the rule allows, then reset mid-response.
                    await SendAsync(client, buffer.AsMemory(0, (int)left)).ConfigureAwait(false);
                    Interlocked.Increment(ref proxy._faults);
                    Close(reset: true);
                    return;
                }

                if (left >= 0)
                {
                    Interlocked.Add(ref _resetAfter, -n);
                }

                await proxy.ThrottleAsync(n, _closed.Token).ConfigureAwait(false);
                await SendAsync(client, buffer.AsMemory(0, n)).ConfigureAwait(false);
            }
        }

        private async Task SendAsync(Socket socket, ReadOnlyMemory<byte> data)
        {
            while (!data.IsEmpty)
            {
                var sent = await socket.SendAsync(data, _closed.Token).ConfigureAwait(false);
                data = data[sent..];
            }
        }
    }

    /// <summary>Reads HTTP/1.1 requests from a socket: heads, then bodies by Content-Length or chunked framing.</summary>
    private sealed class HttpRequestReader(Socket socket, CancellationToken cancellationToken)
    {
        private readonly byte[] _buffer = new byte[64 * 1024];
        private int _start;
        private int _end;

        public async Task<RequestHead?> ReadHeadAsync()
        {
            var head = new MemoryStream();
            while (true)
            {
                if (_start == _end && !await FillAsync().ConfigureAwait(false))
                {
                    return null;
                }

                head.WriteByte(_buffer[_start++]);
                if (head.Length >= 4 && EndsWithBlankLine(head))
                {
                    return RequestHead.Parse(head.ToArray());
                }
            }
        }

        /// <summary>Copies (or, without a destination, discards) the body of <paramref name="head"/>.</summary>
        public async Task CopyBodyAsync(RequestHead head, Socket? destination, int chunkLimit, Func<int, CancellationToken, Task>? throttle, CancellationToken ct)
        {
            if (head.Chunked)
            {
                // Chunk framing: "size\r\n" data "\r\n" ... "0\r\n" trailers "\r\n".
                while (true)
                {
                    var sizeLine = await ReadLineAsync(destination, ct).ConfigureAwait(false);
                    var size = Convert.ToInt64(sizeLine.Split(';')[0].Trim(), 16);
                    if (size == 0)
                    {
                        while ((await ReadLineAsync(destination, ct).ConfigureAwait(false)).Length > 0)
                        {
                        }

                        return;
                    }

                    await CopyAsync(size + 2, destination, chunkLimit, throttle, ct).ConfigureAwait(false);
                }
            }

            await CopyAsync(head.ContentLength, destination, chunkLimit, throttle, ct).ConfigureAwait(false);
        }

        private async Task<string> ReadLineAsync(Socket? destination, CancellationToken ct)
        {
            var line = new StringBuilder();
            while (true)
            {
                if (_start == _end && !await FillAsync().ConfigureAwait(false))
                {
                    throw new IOException("client closed inside a chunked body");
                }

                var b = _buffer[_start++];
                if (destination is not null)
                {
                    await destination.SendAsync(new[] { b }, ct).ConfigureAwait(false);
                }

                if (b == '\n')
                {
                    return line.ToString().TrimEnd('\r');
                }

                line.Append((char)b);
            }
        }

        private async Task CopyAsync(long count, Socket? destination, int chunkLimit, Func<int, CancellationToken, Task>? throttle, CancellationToken ct)
        {
            while (count > 0)
            {
                if (_start == _end && !await FillAsync().ConfigureAwait(false))
                {
                    throw new IOException("client closed inside a body");
                }

                var n = (int)Math.Min(Math.Min(count, _end - _start), chunkLimit > 0 ? chunkLimit : int.MaxValue);
                if (destination is not null)
                {
                    if (throttle is not null)
                    {
                        await throttle(n, ct).ConfigureAwait(false);
                    }

                    var data = _buffer.AsMemory(_start, n);
                    while (!data.IsEmpty)
                    {
                        data = data[await destination.SendAsync(data, ct).ConfigureAwait(false)..];
                    }
                }

                _start += n;
                count -= n;
            }
        }

        private async Task<bool> FillAsync()
        {
            _start = 0;
            _end = await socket.ReceiveAsync(_buffer, cancellationToken).ConfigureAwait(false);
            return _end > 0;
        }

        private static bool EndsWithBlankLine(MemoryStream head)
        {
            var b = head.GetBuffer();
            var n = (int)head.Length;
            return b[n - 4] == '\r' && b[n - 3] == '\n' && b[n - 2] == '\r' && b[n - 1] == '\n';
        }
    }

    /// <summary>A request's head as received, with what its body framing is.</summary>
    private sealed record RequestHead(byte[] Bytes, string RequestLine, long ContentLength, bool Chunked, bool ExpectsContinue)
    {
        public static RequestHead Parse(byte[] bytes)
        {
            var lines = Encoding.ASCII.GetString(bytes).Split("\r\n");
            long length = 0;
            bool chunked = false, expects = false;
            foreach (var line in lines.Skip(1))
            {
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                if (colon <= 0)
                {
                    continue;
                }

                var name = line[..colon].Trim();
                var value = line[(colon + 1)..].Trim();
                if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
                {
                    length = long.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
                }
                else if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase) && value.Contains("chunked", StringComparison.OrdinalIgnoreCase))
                {
                    chunked = true;
                }
                else if (name.Equals("Expect", StringComparison.OrdinalIgnoreCase) && value.Contains("100-continue", StringComparison.OrdinalIgnoreCase))
                {
                    expects = true;
                }
            }

            return new RequestHead(bytes, lines[0], length, chunked, expects);
        }
    }
}

/// <summary>What a <see cref="FaultRule"/> does to a matching request.</summary>
internal enum FaultAction
{
    /// <summary>Reset the connection (RST) instead of forwarding the request: the server never sees it.</summary>
    ResetOnRequest,

    /// <summary>Forward the request, then reset the connection after <see cref="FaultRule.Bytes"/> bytes of its response.</summary>
    ResetResponseAfter,

    /// <summary>Read the request and answer <see cref="FaultRule.Answer"/> in place of the server.</summary>
    Answer,
}

/// <summary>A fault for requests whose request line (<c>METHOD target HTTP/1.1</c>) matches.</summary>
internal sealed class FaultRule(string name, Func<string, bool> matches, FaultAction action, int times = int.MaxValue)
{
    private int _left = times;

    /// <summary>A name for messages.</summary>
    public string Name => name;

    /// <summary>What to do.</summary>
    public FaultAction Action => action;

    /// <summary>For <see cref="FaultAction.ResetResponseAfter"/>: response bytes forwarded before the reset.</summary>
    public long Bytes { get; init; }

    /// <summary>For <see cref="FaultAction.Answer"/>: the whole HTTP response sent.</summary>
    public byte[] Answer { get; init; } = [];

    /// <summary>Whether the rule applies to <paramref name="requestLine"/>.</summary>
    public bool Matches(string requestLine) => matches(requestLine);

    /// <summary>Uses up one hit; false when none are left.</summary>
    public bool TryTake() => Interlocked.Decrement(ref _left) >= 0;

    /// <summary>Whether every hit is used up.</summary>
    public bool Exhausted => Volatile.Read(ref _left) <= 0;

    /// <summary>A response with <paramref name="status"/>, an XML <paramref name="body"/> and <c>Connection: close</c>.</summary>
    public static byte[] HttpAnswer(string status, string body) =>
        Encoding.ASCII.GetBytes($"HTTP/1.1 {status}\r\nContent-Type: application/xml\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\nConnection: close\r\n\r\n")
            .Concat(Encoding.UTF8.GetBytes(body)).ToArray();

    /// <inheritdoc />
    public override string ToString() => name;
}
