using System.Net;
using System.Text.Json;

namespace Registry.Storage.Drivers.Swift;

internal sealed partial class SwiftClient
{
    /// <summary>Creates the container when it does not exist (distribution does the same at start-up).</summary>
    public async Task EnsureContainerAsync(CancellationToken cancellationToken)
    {
        using var head = await SendAsync("open container", Container, s => new HttpRequestMessage(HttpMethod.Head, ContainerUri(s, Container)), cancellationToken).ConfigureAwait(false);
        if (head.IsSuccessStatusCode)
        {
            return;
        }

        if (head.StatusCode != HttpStatusCode.NotFound)
        {
            throw SwiftErrors.FromStatus("open container", null, head.StatusCode, $"{head.ReasonPhrase} for container {Container}");
        }

        using var put = await SendAsync("create container", Container, s => new HttpRequestMessage(HttpMethod.Put, ContainerUri(s, Container)) { Content = new ByteArrayContent([]) }, cancellationToken).ConfigureAwait(false);
        if (!put.IsSuccessStatusCode)
        {
            throw SwiftErrors.FromStatus("create container", null, put.StatusCode, $"{put.ReasonPhrase} creating container {Container}");
        }
    }

    /// <summary>A metadata header of the container (<paramref name="onContainer"/>) or the account, or null.</summary>
    public async Task<string?> GetMetadataAsync(bool onContainer, string header, CancellationToken cancellationToken)
    {
        using var response = await SendAsync("read metadata", Container, s => new HttpRequestMessage(HttpMethod.Head, onContainer ? ContainerUri(s, Container) : s), cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw SwiftErrors.FromStatus("read metadata", null, response.StatusCode, response.ReasonPhrase);
        }

        return Header(response, header);
    }

    /// <summary>Sets a metadata header on the container or the account (POST keeps the other metadata).</summary>
    public async Task<bool> TrySetMetadataAsync(bool onContainer, string header, string value, CancellationToken cancellationToken)
    {
        using var response = await SendAsync("write metadata", Container, s =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, onContainer ? ContainerUri(s, Container) : s) { Content = new ByteArrayContent([]) };
            request.Headers.TryAddWithoutValidation(header, value);
            return request;
        }, cancellationToken).ConfigureAwait(false);
        return response.IsSuccessStatusCode;
    }

    /// <summary>The cluster's capabilities (<c>/info</c>, no authentication), or null when it does not answer.</summary>
    public async Task<SwiftInfo?> GetInfoAsync(CancellationToken cancellationToken)
    {
        var storage = await _connection.GetStorageUrlAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var response = await _connection.Http.GetAsync(SwiftInfo.InfoUrl(storage), cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                return null;
            }

            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            using var document = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken).ConfigureAwait(false);
            return SwiftInfo.Parse(document.RootElement);
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException)
        {
            return null; // /info is optional (distribution then falls back to the tempurl* parameters)
        }
    }
}
