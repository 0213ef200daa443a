using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Registry.Server.Configuration;

namespace Registry.Server.Auth;

/// <summary>
/// distribution's <c>auth.htpasswd</c>: Basic authentication against an htpasswd file of bcrypt
/// entries (<c>htpasswd -B</c>). The file is re-read when it changes; a verified password is
/// remembered (as a SHA-256 of user, password and entry) so clients that send credentials on
/// every request pay bcrypt once.
/// </summary>
internal sealed class HtpasswdAuthenticator(HtpasswdOptions options) : IRegistryAuthenticator
{
    // A real bcrypt entry (cost 10, htpasswd -B's default) to spend time on for unknown users.
    private static readonly Lazy<string> DummyHash = new(() => BCrypt.Net.BCrypt.HashPassword(Guid.NewGuid().ToString(), 10));

    private readonly ConcurrentDictionary<string, bool> _verified = new(StringComparer.Ordinal);
    private Dictionary<string, string> _entries = new(StringComparer.Ordinal);
    private DateTime _loadedWriteTime;

    public async Task<AuthResult> AuthenticateAsync(HttpRequest request, IReadOnlyList<AccessRequest> access, CancellationToken cancellationToken)
    {
        var challenge = $"Basic realm=\"{options.Realm}\"";
        if (!BasicCredentials.TryRead(request, out var user, out var password))
        {
            return AuthResult.Fail(challenge, "basic credentials are required");
        }

        var entries = await LoadAsync(cancellationToken);
        if (!entries.TryGetValue(user, out var hash))
        {
            // Spend the same time as for a known user, so the answer does not reveal which users exist.
            Verify(password, DummyHash.Value);
            return AuthResult.Fail(challenge, "invalid username or password");
        }

        var key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(user + "\n" + password + "\n" + hash)));
        var ok = _verified.TryGetValue(key, out var known) ? known : Verify(password, hash);
        if (ok)
        {
            _verified[key] = true;
            return AuthResult.Success(user);
        }

        return AuthResult.Fail(challenge, "invalid username or password");
    }

    private static bool Verify(string password, string hash)
    {
        try
        {
            return BCrypt.Net.BCrypt.Verify(password, hash);
        }
        catch (BCrypt.Net.SaltParseException)
        {
            return false; // not a bcrypt entry: distribution accepts only bcrypt too
        }
    }

    private async Task<Dictionary<string, string>> LoadAsync(CancellationToken cancellationToken)
    {
        var writeTime = File.GetLastWriteTimeUtc(options.Path);
        if (writeTime == _loadedWriteTime)
        {
            return _entries;
        }

        var entries = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in await File.ReadAllLinesAsync(options.Path, cancellationToken))
        {
            var trimmed = line.Trim();
            var colon = trimmed.IndexOf(':', StringComparison.Ordinal);
            if (trimmed.Length == 0 || trimmed[0] == '#' || colon <= 0)
            {
                continue;
            }

            entries[trimmed[..colon]] = trimmed[(colon + 1)..];
        }

        _entries = entries;
        _loadedWriteTime = writeTime;
        _verified.Clear();
        return entries;
    }
}
