using System.Globalization;
using System.Net;

namespace Registry.Server.Configuration;

/// <summary>Parses Go's <c>host:port</c> listen addresses as distribution's <c>http.addr</c> takes them.</summary>
internal static class ListenAddress
{
    /// <summary>The host part (null for every interface, "localhost" kept as a name) and the port.</summary>
    public static (IPAddress? Address, bool Localhost, int Port) Parse(string addr)
    {
        var colon = addr.LastIndexOf(':');
        if (colon < 0 || !int.TryParse(addr[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
        {
            throw new FormatException($"http.addr: '{addr}' is not host:port (for example :5000 or 127.0.0.1:5000)");
        }

        var host = addr[..colon].Trim('[', ']');
        if (host.Length == 0)
        {
            return (null, false, port);
        }

        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            return (null, true, port);
        }

        return IPAddress.TryParse(host, out var address)
            ? (address, false, port)
            : throw new FormatException($"http.addr: '{host}' is not an IP address (use an address, localhost or nothing)");
    }
}
