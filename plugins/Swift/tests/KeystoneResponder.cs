using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Registry.Storage.Drivers.Swift.Auth;

namespace Registry.Storage.Drivers.Swift.Tests;

/// <summary>
/// A Keystone stand-in on 127.0.0.1 (HttpListener): answers v3's <c>POST /v3/auth/tokens</c>
/// with a real Swift token in <c>X-Subject-Token</c>, and v2's <c>POST /v2.0/tokens</c> with it
/// in the body, each with a catalog whose public object-store endpoint in RegionOne is the
/// real Swift (the other endpoints are decoys the driver must not pick).
/// </summary>
internal sealed class KeystoneResponder : IAsyncDisposable
{
    private readonly HttpListener _listener;
    private readonly SwiftSession _session;
    private readonly Task _loop;

    private KeystoneResponder(HttpListener listener, SwiftSession session, string url)
    {
        _listener = listener;
        _session = session;
        Url = url;
        _loop = Task.Run(ServeAsync);
    }

    public string Url { get; }

    public ConcurrentQueue<(string Path, string Body)> Requests { get; } = new();

    public static Task<KeystoneResponder> StartAsync(SwiftSession session, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        var url = $"http://127.0.0.1:{port}/";
        var listener = new HttpListener();
        listener.Prefixes.Add(url);
        listener.Start();
        return Task.FromResult(new KeystoneResponder(listener, session, url));
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            Requests.Enqueue((context.Request.Url!.AbsolutePath, body));
            var response = context.Response;
            var storage = _session.StorageUrl.AbsoluteUri;
            if (context.Request.HttpMethod == "POST" && context.Request.Url.AbsolutePath == "/v2.0/tokens")
            {
                // Keystone v2: token and catalog in the body, one URL per interface.
                await RespondAsync(response, 200, $$$"""
                    {"access": {"token": {"id": "{{{_session.Token}}}", "expires": "2099-01-01T00:00:00Z", "tenant": {"id": "p1", "name": "registry"}},
                      "serviceCatalog": [
                        {"type": "identity", "name": "keystone", "endpoints": [{"region": "RegionOne", "publicURL": "{{{Url}}}v2.0"}]},
                        {"type": "object-store", "name": "swift", "endpoints": [
                          {"region": "RegionTwo", "publicURL": "http://127.0.0.1:9/region-decoy", "internalURL": "http://127.0.0.1:9/region-decoy"},
                          {"region": "RegionOne", "publicURL": "{{{storage}}}", "internalURL": "http://127.0.0.1:9/internal-decoy"}]}]}}
                    """);
                continue;
            }

            if (context.Request.HttpMethod != "POST" || context.Request.Url.AbsolutePath != "/v3/auth/tokens")
            {
                response.StatusCode = 404;
                response.Close();
                continue;
            }

            response.Headers["X-Subject-Token"] = _session.Token;
            var catalog = $$$"""
                {"token": {"methods": ["password"], "expires_at": "2099-01-01T00:00:00.000000Z",
                  "project": {"id": "p1", "name": "registry", "domain": {"id": "d2", "name": "projects"}},
                  "catalog": [
                    {"type": "identity", "name": "keystone", "endpoints": [{"interface": "public", "region": "RegionOne", "region_id": "RegionOne", "url": "{{{Url}}}v3"}]},
                    {"type": "object-store", "name": "swift", "endpoints": [
                      {"interface": "internal", "region": "RegionOne", "region_id": "RegionOne", "url": "http://127.0.0.1:9/internal-decoy"},
                      {"interface": "public", "region": "RegionTwo", "region_id": "RegionTwo", "url": "http://127.0.0.1:9/region-decoy"},
                      {"interface": "public", "region": "RegionOne", "region_id": "RegionOne", "url": "{{{storage}}}"}]}]}}
                """;
            await RespondAsync(response, 201, catalog);
        }
    }

    private static async Task RespondAsync(HttpListenerResponse response, int status, string json)
    {
        response.StatusCode = status;
        response.ContentType = "application/json";
        var bytes = Encoding.UTF8.GetBytes(json);
        response.ContentLength64 = bytes.Length;
        await response.OutputStream.WriteAsync(bytes);
        response.Close();
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _loop;
    }
}
