using System.Text.Json;

namespace Registry.Storage.Drivers.Swift;

/// <summary>
/// An uncommitted upload, stored as a small JSON object at <c>{root}/pending-uploads{path}</c>.
/// A writer records it <see cref="Open"/> before its first segment goes up, so that a writer
/// which never ends (its process killed, its server gone before the cancel) still leaves a
/// record naming its segment folder — otherwise those segments would be invisible garbage. A
/// closed writer replaces it with the segments so far, in order, and where new ones go, which
/// a later writer (in any process) resumes; commit or cancel removes it. Recording the list
/// (rather than listing segments later) also sidesteps listings that lag behind writes.
/// </summary>
/// <param name="SegmentPrefix">The upload's segment folder: every segment it wrote is below it.</param>
/// <param name="NextNumber">The number the next segment gets.</param>
/// <param name="Segments">The segments so far, in order (none in a running writer's open record; a deleted large object's, in the open record a delete writes first).</param>
/// <param name="Open">Written by a writer still running: which segments arrived is unknown, so the upload cannot be resumed, only discarded.</param>
internal sealed record SwiftPendingUpload(string SegmentPrefix, int NextNumber, IReadOnlyList<SegmentRef> Segments, bool Open = false)
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
            if (Open)
            {
                json.WriteBoolean("open", true);
            }

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
        var open = root.TryGetProperty("open", out var flag) && flag.GetBoolean();
        return new SwiftPendingUpload(root.GetProperty("segmentPrefix").GetString()!, root.GetProperty("nextNumber").GetInt32(), segments, open);
    }
}
