using System.Globalization;
using System.Security;
using System.Text;

namespace Registry.Storage.Oss.StandIn;

/// <summary>A minimal writer for OSS's response documents (flat elements, escaped text).</summary>
internal sealed class XmlBody
{
    private readonly StringBuilder _builder = new("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    private readonly Stack<string> _open = new();

    public XmlBody Open(string name)
    {
        _builder.Append('<').Append(name).Append('>');
        _open.Push(name);
        return this;
    }

    public XmlBody Close()
    {
        _builder.Append("</").Append(_open.Pop()).Append('>');
        return this;
    }

    public XmlBody Element(string name, string? value)
    {
        _builder.Append('<').Append(name).Append('>').Append(SecurityElement.Escape(value ?? "")).Append("</").Append(name).Append('>');
        return this;
    }

    public XmlBody Element(string name, long value) => Element(name, value.ToString(CultureInfo.InvariantCulture));

    public XmlBody Element(string name, bool value) => Element(name, value ? "true" : "false");

    public XmlBody Element(string name, DateTimeOffset value) => Element(name, value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));

    public override string ToString()
    {
        while (_open.Count > 0)
        {
            Close();
        }

        return _builder.ToString();
    }
}
