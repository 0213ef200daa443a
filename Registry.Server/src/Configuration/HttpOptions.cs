namespace Registry.Server.Configuration;

/// <summary>distribution's <c>http</c> section.</summary>
public sealed record HttpOptions
{
    /// <summary><c>http.addr</c>: <c>:5000</c> (every interface), <c>127.0.0.1:5000</c>, <c>[::1]:5000</c>; port 0 picks a free one.</summary>
    public string Addr { get; init; } = ":5000";

    /// <summary><c>http.host</c>: the external base URL used in <c>Location</c> headers (else the request's scheme and host).</summary>
    public Uri? Host { get; init; }

    /// <summary><c>http.prefix</c>: the path the API is served under (<c>/</c> by default).</summary>
    public string Prefix { get; init; } = "/";

    /// <summary><c>http.relativeurls</c>: <c>Location</c> headers without scheme and host.</summary>
    public bool RelativeUrls { get; init; }

    /// <summary><c>http.tls.certificate</c>: a PEM certificate (chain) file; TLS is on when set.</summary>
    public string? TlsCertificate { get; init; }

    /// <summary><c>http.tls.key</c>: the PEM private key file for <see cref="TlsCertificate"/>.</summary>
    public string? TlsKey { get; init; }

    /// <summary><c>http.headers</c>: added to every response.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Headers { get; init; } = new Dictionary<string, IReadOnlyList<string>>();
}
