using System.Text.Json;

namespace Registry.Storage.Drivers.Swift;

/// <summary>
/// A closed, uncommitted upload as a later writer (in any process) resumes it: the segments
/// so far, in order, and where new ones go. Stored as a small JSON object at
/// <c>{root}/pending-uploads{path}</c> when a writer is closed; removed by commit or cancel.
/// Recording the list (rather than listing segments later) also sidesteps listings that lag
/// behind writes.
/// </summary>
internal sealed record SwiftPendingUpload(string SegmentPrefix, int NextNumber, IReadOnlyList<SegmentRef> Segments)
{
    /// <summary>The bytes the segments hold.</summary>
    public long Size => Segments.Sum(s => s.Size);

    public byte[] Serialize()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("version", 1);
            json.WriteString("segmentPrefix", SegmentPrefix);
            json.WriteNumber("nextNumber", NextNumber);
            json.WriteStartArray("segments");
            foreach (var segment in Segments)
            {
                json.WriteStartObject();
                json.WriteString("container", segment.Container);
                json.WriteString("key", segment.Key);
                json.WriteNumber("size", segment.Size);
                json.WriteString("etag", segment.Etag);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    public static SwiftPendingUpload Deserialize(ReadOnlySpan<byte> data)
    {
        var reader = new Utf8JsonReader(data);
        using var document = JsonDocument.ParseValue(ref reader);
        var root = document.RootElement;
        var segments = root.GetProperty("segments").EnumerateArray()
            .Select(s => new SegmentRef(
                s.GetProperty("container").GetString()!,
                s.GetProperty("key").GetString()!,
                s.GetProperty("size").GetInt64(),
                s.TryGetProperty("etag", out var etag) ? etag.GetString() : null))
            .ToArray();
        return new SwiftPendingUpload(root.GetProperty("segmentPrefix").GetString()!, root.GetProperty("nextNumber").GetInt32(), segments);
    }
}
