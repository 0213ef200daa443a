using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Registry.Server.Configuration;

namespace Registry.Server.Auth;

/// <summary>
/// distribution's <c>auth.token</c>: a JWT bearer token signed by a key whose certificate is in
/// <c>rootcertbundle</c>, issued by <c>issuer</c> for audience <c>service</c>, whose <c>access</c>
/// claim grants the actions the request needs. Refusals carry distribution's challenge:
/// <c>Bearer realm="…",service="…",scope="repository:name:pull,push"</c>.
/// </summary>
internal sealed class TokenAuthenticator : IRegistryAuthenticator
{
    private readonly TokenAuthOptions _options;
    private readonly TokenValidationParameters _parameters;
    private readonly JsonWebTokenHandler _handler = new();

    public TokenAuthenticator(TokenAuthOptions options)
    {
        _options = options;
        var certificates = new X509Certificate2Collection();
        certificates.ImportFromPemFile(options.RootCertBundle);
        if (certificates.Count == 0)
        {
            throw new FormatException($"auth.token.rootcertbundle: no certificate in {options.RootCertBundle}");
        }

        _parameters = new TokenValidationParameters
        {
            ValidIssuer = options.Issuer,
            ValidAudience = options.Service,
            IssuerSigningKeys = certificates.Select(c => (SecurityKey)new X509SecurityKey(c)).ToList(),
            TryAllIssuerSigningKeys = true,
            ClockSkew = TimeSpan.FromSeconds(60),
        };
    }

    public async Task<AuthResult> AuthenticateAsync(HttpRequest request, IReadOnlyList<AccessRequest> access, CancellationToken cancellationToken)
    {
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthResult.Fail(Challenge(access, null), "a bearer token is required");
        }

        var result = await _handler.ValidateTokenAsync(header[7..].Trim(), _parameters);
        if (!result.IsValid)
        {
            return AuthResult.Fail(Challenge(access, "invalid_token"), "the token is invalid");
        }

        var token = (JsonWebToken)result.SecurityToken;
        var granted = Granted(token);
        foreach (var needed in access)
        {
            var actions = granted.Where(g => g.Type == needed.Type && g.Name == needed.Name).SelectMany(g => g.Actions).ToHashSet(StringComparer.Ordinal);
            if (!needed.Actions.All(a => actions.Contains(a) || actions.Contains("*")))
            {
                return AuthResult.Fail(Challenge(access, "insufficient_scope"), $"the token does not grant {needed.Scope}");
            }
        }

        return AuthResult.Success(token.Subject ?? "token");
    }

    private string Challenge(IReadOnlyList<AccessRequest> access, string? error)
    {
        var challenge = $"Bearer realm=\"{_options.Realm}\",service=\"{_options.Service}\"";
        if (access.Count > 0)
        {
            challenge += $",scope=\"{string.Join(' ', access.Select(a => a.Scope))}\"";
        }

        return error is null ? challenge : challenge + $",error=\"{error}\"";
    }

    private static List<AccessRequest> Granted(JsonWebToken token)
    {
        var granted = new List<AccessRequest>();
        using var payload = JsonDocument.Parse(Base64UrlEncoder.DecodeBytes(token.EncodedPayload));
        if (!payload.RootElement.TryGetProperty("access", out var access) || access.ValueKind != JsonValueKind.Array)
        {
            return granted;
        }

        foreach (var entry in access.EnumerateArray())
        {
            if (entry.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            var type = entry.TryGetProperty("type", out var t) ? t.GetString() ?? string.Empty : string.Empty;
            var name = entry.TryGetProperty("name", out var n) ? n.GetString() ?? string.Empty : string.Empty;
            var actions = entry.TryGetProperty("actions", out var a) && a.ValueKind == JsonValueKind.Array
                ? a.EnumerateArray().Select(x => x.GetString() ?? string.Empty).ToList()
                : [];
            granted.Add(new AccessRequest(type, name, actions));
        }

        return granted;
    }
}
