using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Registry.Storage.Reliability.Tests;

/// <summary>
/// Where a driver may send its requests and its users: redirect URLs point only at the
/// configured endpoint, and a server (or something posing as it) answering with a redirect to
/// another host never makes a driver follow it there, credentials and all.
/// </summary>
[TestFixture]
public sealed class RedirectContainmentTests
{
    // Valid paths that look like authorities or schemes once pasted into a URL carelessly.
    private static readonly string[] TrickyPaths =
    [
        "/plain/blob",
        "/evil.example.com/blob",
        "/docker/registry/v2/blobs/sha256/ab/abcdef/data",
        "/a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/deep",
        "/127.0.0.2/x",
        "/-dash/_under/.dot/x",
    ];

    [TestCase("s3"), TestCase("azure"), TestCase("swift"), TestCase("oss")]
    [CancelAfter(120_000)]
    public async Task RedirectUrlsPointOnlyAtTheConfiguredEndpoint(string name, CancellationToken cancellationToken)
    {
        var required = Drivers.Network.Single(d => d.Name == name).Required;
        var parameters = Drivers.NetworkParameters(name, required, Drivers.RunSegment("redirect"));
        var allowedHosts = AllowedHosts(name, parameters);
        var driver = await Drivers.CreateAsync(name, parameters, cancellationToken);
        var produced = 0;
        try
        {
            foreach (var path in TrickyPaths)
            {
                await driver.PutContentAsync(path, Encoding.UTF8.GetBytes(path), cancellationToken);
                foreach (var method in new[] { RedirectOptions.Get, RedirectOptions.Head })
                {
                    var url = await driver.RedirectUrlAsync(path, method, cancellationToken);
                    if (url is null)
                    {
                        continue;
                    }

                    produced++;
                    url.IsAbsoluteUri.ShouldBeTrue();
                    allowedHosts.ShouldContain(url.Authority, $"{name} redirected {path} to {url.GetLeftPart(UriPartial.Authority)}");
                    url.UserInfo.ShouldBeEmpty();
                }
            }
        }
        finally
        {
            await Drivers.DeleteAllAsync(driver, CancellationToken.None);
        }

        // swift issues TempURLs only with a key; every service here is configured with one.
        produced.ShouldBeGreaterThan(0, $"{name} produced redirect URLs to check");
        TestContext.Out.WriteLine($"{name}: {produced} redirect URLs, all on {string.Join(" or ", allowedHosts)}");
    }

    [TestCase("s3", "regionendpoint"), TestCase("azure", "serviceurl"), TestCase("swift", "authurl"), TestCase("oss", "endpoint")]
    [CancelAfter(120_000)]
    public async Task ARedirectToAnotherHostIsNeverFollowed(string name, string endpointParameter, CancellationToken cancellationToken)
    {
        var required = Drivers.Network.Single(d => d.Name == name).Required;
        var parameters = Drivers.NetworkParameters(name, required, Drivers.RunSegment("follow"));
        await using var trap = new ConnectionTrap(IPAddress.Parse("127.0.0.2"));
        await using var redirector = new Redirector($"http://127.0.0.2:{trap.Port}/stolen");
        var endpoint = name switch
        {
            "azure" => $"http://127.0.0.1:{redirector.Port}/devstoreaccount1",
            "swift" => $"http://127.0.0.1:{redirector.Port}/auth/v1.0",
            "oss" => $"http://oss-redirect.invalid:{redirector.Port}", // testloopback sends it to 127.0.0.1
            _ => $"http://127.0.0.1:{redirector.Port}",
        };
        var pointed = parameters.With(endpointParameter, endpoint).With("rootdirectory", "/follow");
        var outcomes = new List<string>();

        try
        {
            var driver = await Drivers.CreateAsync(name, pointed, cancellationToken);
            outcomes.Add(await OutcomeAsync(() => driver.GetContentAsync("/blob", cancellationToken)));
            outcomes.Add(await OutcomeAsync(() => driver.StatAsync("/blob", cancellationToken)));
            outcomes.Add(await OutcomeAsync(() => driver.PutContentAsync("/blob", "x"u8.ToArray(), cancellationToken)));
        }
        catch (StorageDriverException e)
        {
            outcomes.Add($"create: {e.GetType().Name}");
        }

        redirector.Requests.ShouldBeGreaterThan(0, $"{name} reached the redirecting endpoint");
        trap.Connections.ShouldBe(0, $"{name} followed a redirect to another host");
        outcomes.ShouldAllBe(o => !o.StartsWith("succeeded", StringComparison.Ordinal), $"{name}: a redirect answer was taken for success");
        TestContext.Out.WriteLine($"{name}: {redirector.Requests} requests answered with 307 to another host, 0 followed; outcomes: {string.Join("; ", outcomes)}");
    }

    private static async Task<string> OutcomeAsync(Func<Task> operation)
    {
        try
        {
            await operation();
            return "succeeded";
        }
        catch (StorageDriverException e)
        {
            e.DriverName.ShouldNotBeNullOrEmpty();
            return e.GetType().Name;
        }
    }

    private static string[] AllowedHosts(string name, DriverParameters parameters)
    {
        switch (name)
        {
            case "s3":
                var endpoint = new Uri(parameters.GetString("regionendpoint")!);
                var bucket = parameters.GetString("bucket")!;
                return [endpoint.Authority, $"{bucket}.{endpoint.Authority}"];
            case "azure":
                return [new Uri(parameters.GetString("serviceurl")!).Authority];
            case "swift":
                return [new Uri(parameters.GetString("authurl")!).Authority];
            case "oss":
                var oss = new Uri(parameters.GetString("endpoint")!);
                string[] hosts = [oss.Authority, $"{parameters.GetString("bucket")}.{oss.Authority}"];
                // The test-only testloopback parameter sends requests and signed URLs to 127.0.0.1 at the endpoint's port.
                return parameters.GetString("testloopback") == "true" ? [.. hosts, $"127.0.0.1:{oss.Port}"] : hosts;
            default:
                throw new ArgumentOutOfRangeException(nameof(name), name, "no redirect endpoint known");
        }
    }

    /// <summary>An HTTP endpoint that answers every request with 307 to <c>location</c>.</summary>
    private sealed class Redirector : IAsyncDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new();
        private readonly string _location;
        private readonly Task _serving;
        private int _requests;

        public Redirector(string location)
        {
            _location = location;
            _listener.Start();
            _serving = ServeAsync();
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public int Requests => Volatile.Read(ref _requests);

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _listener.Stop();
            await _serving.ContinueWith(_ => { }, TaskScheduler.Default);
            _stop.Dispose();
        }

        private async Task ServeAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                _ = AnswerAsync(client);
            }
        }

        private async Task AnswerAsync(TcpClient client)
        {
            using (client)
            {
                var stream = client.GetStream();
                var buffer = new byte[64 * 1024];
                var seen = new StringBuilder();
                try
                {
                    while (true)
                    {
                        var read = await stream.ReadAsync(buffer, _stop.Token);
                        if (read == 0)
                        {
                            return;
                        }

                        seen.Append(Encoding.Latin1.GetString(buffer, 0, read));
                        var end = seen.ToString().IndexOf("\r\n\r\n", StringComparison.Ordinal);
                        if (end < 0)
                        {
                            continue;
                        }

                        // One answer per request head; a body (if any) is left unread and the connection closed.
                        Interlocked.Increment(ref _requests);
                        var answer = $"HTTP/1.1 307 Temporary Redirect\r\nLocation: {_location}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
                        await stream.WriteAsync(Encoding.ASCII.GetBytes(answer), _stop.Token);
                        return;
                    }
                }
                catch (Exception e) when (e is IOException or OperationCanceledException or SocketException)
                {
                    // the client gave up: nothing to answer
                }
            }
        }
    }

    /// <summary>A listener on another loopback address that only counts who connects.</summary>
    private sealed class ConnectionTrap : IAsyncDisposable
    {
        private readonly TcpListener _listener;
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _accepting;
        private int _connections;

        public ConnectionTrap(IPAddress address)
        {
            _listener = new TcpListener(address, 0);
            _listener.Start();
            _accepting = AcceptAsync();
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public int Connections => Volatile.Read(ref _connections);

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _listener.Stop();
            await _accepting.ContinueWith(_ => { }, TaskScheduler.Default);
            _stop.Dispose();
        }

        private async Task AcceptAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                using var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                Interlocked.Increment(ref _connections);
            }
        }
    }
}
