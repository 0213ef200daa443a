using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Registry.Storage.Drivers.Swift;

/// <summary>One segment of a large object.</summary>
/// <param name="Container">The container holding it (this driver's, unless a foreign manifest says otherwise).</param>
/// <param name="Key">Its object name.</param>
/// <param name="Size">Its length in bytes.</param>
/// <param name="Etag">Its MD5, which the SLO manifest makes Swift verify; null when unknown.</param>
internal sealed record SegmentRef(string Container, string Key, long Size, string? Etag);

internal sealed partial class SwiftClient
{
    /// <summary>
    /// PUT a static large object manifest (<c>?multipart-manifest=put</c>): Swift checks that
    /// every segment exists with the given size and MD5 before the object appears, so a
    /// committed SLO is complete and immediately readable (no eventual-consistency wait).
    /// </summary>
    public async Task PutStaticManifestAsync(string key, IReadOnlyList<SegmentRef> segments, CancellationToken cancellationToken)
    {
        var body = BuildStaticManifest(segments);
        using var response = await SendAsync("commit", key, s => new HttpRequestMessage(HttpMethod.Put, ObjectUri(s, key, "multipart-manifest=put"))
        {
            Content = JsonContent(body),
        }, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            // Swift's 400 body says which segment failed verification; it holds no credential.
            var detail = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            throw SwiftErrors.FromStatus("commit", Describe(key), response.StatusCode, $"{response.ReasonPhrase}: {Shorten(detail)}");
        }
    }

    /// <summary>The manifest body: <c>[{"path": "/container/name", "etag": …, "size_bytes": …}]</c>.</summary>
    internal static byte[] BuildStaticManifest(IReadOnlyList<SegmentRef> segments)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            foreach (var segment in segments)
            {
                json.WriteStartObject();
                json.WriteString("path", "/" + segment.Container + "/" + segment.Key);
                if (segment.Etag is null)
                {
                    json.WriteNull("etag");
                }
                else
                {
                    json.WriteString("etag", segment.Etag);
                }

                json.WriteNumber("size_bytes", segment.Size);
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        return buffer.ToArray();
    }

    /// <summary>The segments an SLO manifest lists (<c>?multipart-manifest=get</c>), or null when the object is gone.</summary>
    public async Task<IReadOnlyList<SegmentRef>?> GetStaticSegmentsAsync(string key, CancellationToken cancellationToken)
    {
        using var response = await SendAsync("read manifest", key, s => new HttpRequestMessage(HttpMethod.Get, ObjectUri(s, key, "multipart-manifest=get")), cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        EnsureSuccess("read manifest", key, response);
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var document = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken).ConfigureAwait(false);
        return ParseStaticManifest(document.RootElement);
    }

    /// <summary>Reads <c>?multipart-manifest=get</c>'s answer: <c>[{"name": "/container/name", "bytes": …, "hash": …}]</c>.</summary>
    internal static List<SegmentRef> ParseStaticManifest(JsonElement root)
    {
        var segments = new List<SegmentRef>();
        foreach (var item in root.EnumerateArray())
        {
            var name = item.GetProperty("name").GetString() ?? "";
            var (container, key) = SplitContainerPath(name.TrimStart('/'));
            segments.Add(new SegmentRef(container, key,
                item.TryGetProperty("bytes", out var bytes) ? bytes.GetInt64() : 0,
                item.TryGetProperty("hash", out var hash) ? hash.GetString() : null));
        }

        return segments;
    }

    /// <summary>PUT a dynamic large object manifest: a zero-byte object whose <c>X-Object-Manifest</c> names the segments' <c>container/prefix</c>.</summary>
    public async Task PutDynamicManifestAsync(string key, string manifest, CancellationToken cancellationToken)
    {
        using var response = await SendAsync("move", key, s =>
        {
            var request = new HttpRequestMessage(HttpMethod.Put, ObjectUri(s, key)) { Content = OctetContent(ReadOnlyMemory<byte>.Empty, null) };
            request.Headers.TryAddWithoutValidation("X-Object-Manifest", manifest);
            return request;
        }, cancellationToken).ConfigureAwait(false);
        EnsureSuccess("move", key, response);
    }

    /// <summary>The segments of a DLO (<c>container/prefix</c>) in the order Swift concatenates them: listing order.</summary>
    public async Task<IReadOnlyList<SegmentRef>> ListDynamicSegmentsAsync(string manifest, CancellationToken cancellationToken)
    {
        var (container, prefix) = SplitContainerPath(Uri.UnescapeDataString(manifest));
        var segments = new List<SegmentRef>();
        await foreach (var entry in ListAsync(prefix, false, null, cancellationToken, container: container).ConfigureAwait(false))
        {
            segments.Add(new SegmentRef(container, entry.Name, entry.Bytes, null));
        }

        return segments;
    }

    /// <summary>The segments behind <paramref name="info"/> (none for a plain object, or when the manifest vanished meanwhile).</summary>
    public async Task<IReadOnlyList<SegmentRef>> SegmentsOfAsync(string key, SwiftObjectInfo info, CancellationToken cancellationToken) =>
        info.IsStaticLargeObject ? await GetStaticSegmentsAsync(key, cancellationToken).ConfigureAwait(false) ?? []
        : info.DynamicManifest is { } manifest ? await ListDynamicSegmentsAsync(manifest, cancellationToken).ConfigureAwait(false)
        : [];

    /// <summary>The segments of the large object at <paramref name="key"/> (none when it is plain or absent): what replacing it would orphan.</summary>
    public async Task<IReadOnlyList<SegmentRef>> SegmentsAtAsync(string key, CancellationToken cancellationToken) =>
        await HeadAsync(key, cancellationToken).ConfigureAwait(false) is { IsManifest: true } info
            ? await SegmentsOfAsync(key, info, cancellationToken).ConfigureAwait(false)
            : [];

    /// <summary>Deletes the segments of a replaced large object that its replacement does not reuse.</summary>
    public async Task DeleteOrphanedSegmentsAsync(IReadOnlyList<SegmentRef> replaced, IReadOnlyList<SegmentRef> reused, int maxPerRequest, string path, CancellationToken cancellationToken)
    {
        var kept = reused.Select(s => (s.Container, s.Key)).ToHashSet();
        var orphans = replaced.Where(s => !kept.Contains((s.Container, s.Key))).ToArray();
        if (orphans.Length > 0)
        {
            await DeleteManyAsync(orphans, maxPerRequest, path, cancellationToken).ConfigureAwait(false);
        }
    }

    // "container/some/name" → ("container", "some/name").
    private static (string Container, string Key) SplitContainerPath(string path)
    {
        var slash = path.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? (path, "") : (path[..slash], path[(slash + 1)..]);
    }

    private static ByteArrayContent JsonContent(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    private static string Shorten(string text) => text.Length > 300 ? text[..300] + "…" : text.Trim();
}
