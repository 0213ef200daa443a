using System.Collections.Concurrent;
using System.Net;

namespace Registry.Storage.Drivers.Swift.Tests;

/// <summary>Passes requests to the real HTTP stack and records method, URL and status of each, so tests can count what the driver sent.</summary>
internal sealed class RecordingHandler() : DelegatingHandler(new SocketsHttpHandler())
{
    public ConcurrentQueue<(HttpMethod Method, Uri Url, HttpStatusCode Status)> Exchanges { get; } = new();

    public int Count(Func<(HttpMethod Method, Uri Url, HttpStatusCode Status), bool> predicate) => Exchanges.Count(predicate);

    public void Clear() => Exchanges.Clear();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        Exchanges.Enqueue((request.Method, request.RequestUri!, response.StatusCode));
        return response;
    }
}
