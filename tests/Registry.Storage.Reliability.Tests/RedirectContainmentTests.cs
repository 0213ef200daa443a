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
        await using var trap = new LoopbackServer(IPAddress.Parse("127.0.0.2"), (_, _) => Task.FromResult(false));
        var stolen = $"http://127.0.0.2:{trap.Port}/stolen";
        await using var redirector = new LoopbackServer(IPAddress.Loopback, (stream, ct) => RedirectAsync(stream, stolen, ct));
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

        redirector.Answered.ShouldBeGreaterThan(0, $"{name} reached the redirecting endpoint");
        trap.Connections.ShouldBe(0, $"{name} followed a redirect to another host");
        outcomes.ShouldAllBe(o => !o.StartsWith("succeeded", StringComparison.Ordinal), $"{name}: a redirect answer was taken for success");
        TestContext.Out.WriteLine($"{name}: {redirector.Answered} requests answered with 307 to another host, 0 followed; outcomes: {string.Join("; ", outcomes)}");
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

    /// <summary>Answers one request head with 307 to <paramref name="location"/>; false when the client left first.</summary>
    private static async Task<bool> RedirectAsync(NetworkStream stream, string location, CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        var seen = new StringBuilder();
        while (!seen.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            var read = await stream.ReadAsync(buffer, cancellationToken);
            if (read == 0)
            {
                return false;
            }

            seen.Append(Encoding.Latin1.GetString(buffer, 0, read));
        }

        // One answer per connection; a body (if any) is left unread and the connection closed.
        var answer = $"HTTP/1.1 307 Temporary Redirect\r\nLocation: {location}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(answer), cancellationToken);
        return true;
    }

    /// <summary>
    /// A TCP listener on <c>address</c> that hands each connection to <c>serve</c> and counts the
    /// connections and the ones <c>serve</c> answered.
    /// </summary>
    private sealed class LoopbackServer : IAsyncDisposable
    {
        private readonly TcpListener _listener;
        private readonly Func<NetworkStream, CancellationToken, Task<bool>> _serve;
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _accepting;
        private int _connections;
        private int _answered;

        public LoopbackServer(IPAddress address, Func<NetworkStream, CancellationToken, Task<bool>> serve)
        {
            _serve = serve;
            _listener = new TcpListener(address, 0);
            _listener.Start();
            _accepting = AcceptAsync();
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public int Connections => Volatile.Read(ref _connections);

        public int Answered => Volatile.Read(ref _answered);

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
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                Interlocked.Increment(ref _connections);
                _ = ServeAsync(client);
            }
        }

        private async Task ServeAsync(TcpClient client)
        {
            using (client)
            {
                try
                {
                    if (await _serve(client.GetStream(), _stop.Token))
                    {
                        Interlocked.Increment(ref _answered);
                    }
                }
                catch (Exception e) when (e is IOException or OperationCanceledException or SocketException)
                {
                    // the client gave up: nothing to answer
                }
            }
        }
    }
}
