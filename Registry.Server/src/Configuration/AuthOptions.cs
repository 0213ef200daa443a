namespace Registry.Server.Configuration;

/// <summary>distribution's <c>auth.htpasswd</c>: Basic authentication against bcrypt entries.</summary>
public sealed record HtpasswdOptions(string Realm, string Path);

/// <summary>distribution's <c>auth.token</c>: JWT bearer tokens issued by an external token service.</summary>
public sealed record TokenAuthOptions(string Realm, string Service, string Issuer, string RootCertBundle)
{
    /// <summary><c>auth.token.autoredirect</c> is not supported; kept so a config that sets it still loads.</summary>
    public bool AutoRedirect { get; init; }
}
