using System.Security;
using System.Text;

namespace Registry.Storage.Oss.StandIn;

/// <summary>An OSS error response: status, code and message, written as OSS's error XML.</summary>
internal sealed class OssError : Exception
{
    public OssError(int status, string code, string message, IReadOnlyDictionary<string, string>? details = null)
        : base(message)
    {
        Status = status;
        Code = code;
        Details = details ?? new Dictionary<string, string>();
    }

    public int Status { get; }

    public string Code { get; }

    public IReadOnlyDictionary<string, string> Details { get; }

    public static OssError NoSuchKey(string key) => new(404, "NoSuchKey", "The specified key does not exist.", new Dictionary<string, string> { ["Key"] = key });

    public static OssError NoSuchUpload(string uploadId) => new(404, "NoSuchUpload", "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.", new Dictionary<string, string> { ["UploadId"] = uploadId });

    public static OssError InvalidArgument(string message) => new(400, "InvalidArgument", message);

    public static OssError MalformedXml(string message) => new(400, "MalformedXML", message);

    public string ToXml(string requestId, string hostId)
    {
        var builder = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error>\n");
        Element(builder, "Code", Code);
        Element(builder, "Message", Message);
        Element(builder, "RequestId", requestId);
        Element(builder, "HostId", hostId);
        foreach (var (name, value) in Details)
        {
            Element(builder, name, value);
        }

        builder.Append("</Error>\n");
        return builder.ToString();
    }

    private static void Element(StringBuilder builder, string name, string value) =>
        builder.Append("  <").Append(name).Append('>').Append(SecurityElement.Escape(value)).Append("</").Append(name).Append(">\n");
}
