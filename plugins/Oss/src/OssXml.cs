using System.Globalization;
using System.Xml.Linq;

namespace Registry.Storage.Drivers.Oss;

/// <summary>An object in a listing.</summary>
internal sealed record OssObjectEntry(string Key, long Size, DateTimeOffset LastModified);

/// <summary>One page of ListObjectsV2.</summary>
internal sealed record OssObjectPage(List<OssObjectEntry> Objects, List<string> CommonPrefixes, string? NextContinuationToken);

/// <summary>A multipart upload in progress.</summary>
internal sealed record OssUploadEntry(string Key, string UploadId, DateTimeOffset Initiated);

/// <summary>One page of ListMultipartUploads.</summary>
internal sealed record OssUploadPage(List<OssUploadEntry> Uploads, string? NextKeyMarker, string? NextUploadIdMarker);

/// <summary>An uploaded part (with its time when a listing gave one).</summary>
internal sealed record OssPart(int Number, string ETag, long Size, DateTimeOffset LastModified = default);

/// <summary>One page of ListParts.</summary>
internal sealed record OssPartPage(List<OssPart> Parts, int? NextPartNumberMarker);

/// <summary>Reads OSS's response documents.</summary>
internal static class OssXml
{
    public static OssObjectPage ObjectPage(string xml)
    {
        var root = XDocument.Parse(xml).Root!;
        var objects = root.Elements("Contents").Select(c => new OssObjectEntry(
            c.Element("Key")!.Value,
            long.Parse(c.Element("Size")!.Value, CultureInfo.InvariantCulture),
            Time(c.Element("LastModified")?.Value))).ToList();
        var prefixes = root.Elements("CommonPrefixes").Select(p => p.Element("Prefix")!.Value).ToList();
        var truncated = IsTruncated(root);
        return new OssObjectPage(objects, prefixes, truncated ? root.Element("NextContinuationToken")?.Value : null);
    }

    public static OssUploadPage UploadPage(string xml)
    {
        var root = XDocument.Parse(xml).Root!;
        var uploads = root.Elements("Upload").Select(u => new OssUploadEntry(
            u.Element("Key")!.Value, u.Element("UploadId")!.Value, Time(u.Element("Initiated")?.Value))).ToList();
        return IsTruncated(root)
            ? new OssUploadPage(uploads, root.Element("NextKeyMarker")?.Value, root.Element("NextUploadIdMarker")?.Value)
            : new OssUploadPage(uploads, null, null);
    }

    public static OssPartPage PartPage(string xml)
    {
        var root = XDocument.Parse(xml).Root!;
        var parts = root.Elements("Part").Select(p => new OssPart(
            int.Parse(p.Element("PartNumber")!.Value, CultureInfo.InvariantCulture),
            p.Element("ETag")!.Value,
            long.Parse(p.Element("Size")!.Value, CultureInfo.InvariantCulture),
            Time(p.Element("LastModified")?.Value))).ToList();
        return new OssPartPage(parts, IsTruncated(root) ? int.Parse(root.Element("NextPartNumberMarker")!.Value, CultureInfo.InvariantCulture) : null);
    }

    public static string Element(string xml, string name) =>
        XDocument.Parse(xml).Root?.Element(name)?.Value ?? throw new FormatException($"OSS answer lacks <{name}>");

    /// <summary>The body of CompleteMultipartUpload.</summary>
    public static string CompleteBody(IEnumerable<OssPart> parts) =>
        new XDocument(new XElement("CompleteMultipartUpload",
            parts.Select(p => new XElement("Part", new XElement("PartNumber", p.Number), new XElement("ETag", p.ETag))))).ToString(SaveOptions.DisableFormatting);

    /// <summary>The body of DeleteMultipleObjects (quiet: only failures come back).</summary>
    public static string DeleteBody(IEnumerable<string> keys) =>
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>" + new XElement("Delete", new XElement("Quiet", "true"),
            keys.Select(k => new XElement("Object", new XElement("Key", k)))).ToString(SaveOptions.DisableFormatting);

    private static bool IsTruncated(XElement root) => string.Equals(root.Element("IsTruncated")?.Value, "true", StringComparison.OrdinalIgnoreCase);

    private static DateTimeOffset Time(string? value) =>
        value is not null && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed) ? parsed : DateTimeOffset.MinValue;
}
