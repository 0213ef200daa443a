using Microsoft.AspNetCore.Http;

namespace Registry.Server.Auth;

/// <summary>An access controller (distribution's <c>auth.AccessController</c>): decides whether a request may touch what it names.</summary>
public interface IRegistryAuthenticator
{
    /// <summary>Authenticates <paramref name="request"/> for <paramref name="access"/> (empty for <c>/v2/</c>).</summary>
    Task<AuthResult> AuthenticateAsync(HttpRequest request, IReadOnlyList<AccessRequest> access, CancellationToken cancellationToken);
}
