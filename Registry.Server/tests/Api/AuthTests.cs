using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Registry.Server.Configuration;
using Registry.Server.Tests.Infrastructure;
using static Registry.Server.Tests.Infrastructure.RegistryApi;

namespace Registry.Server.Tests.Api;

public sealed class AuthTests
{
    [Test]
    public async Task Htpasswd_challenges_with_basic_realm_refuses_bad_passwords_and_admits_good_ones()
    {
        using var temp = new TempDirectory();
        var file = Path.Combine(temp.Path, "htpasswd");
        await File.WriteAllTextAsync(file, "# users\nalice:" + BCrypt.Net.BCrypt.HashPassword("right", 5) + "\nbob:{SHA}notbcrypt\n");
        await using var host = await RegistryHost.StartAsync(RegistryHost.InMemory(), new RegistryServerOptions { Htpasswd = new HtpasswdOptions("my-realm", file) });

        using var anonymous = await host.Client.GetAsync("/v2/");
        await anonymous.ShouldBeErrorAsync(HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        anonymous.Header("WWW-Authenticate").ShouldBe("Basic realm=\"my-realm\"");

        foreach (var (user, password) in new[] { ("alice", "wrong"), ("carol", "right"), ("bob", "x") })
        {
            host.UseBasic(user, password);
            using var refused = await host.Client.GetAsync("/v2/_catalog");
            await refused.ShouldBeErrorAsync(HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        }

        host.UseBasic("alice", "right");
        (await host.Client.GetAsync("/v2/")).StatusCode.ShouldBe(HttpStatusCode.OK);
        await PushBlobAsync(host.Client, "private", [1, 2, 3]);
        (await host.Client.GetAsync("/debug/health")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Test]
    public async Task Token_auth_challenges_with_realm_service_and_scope_and_checks_the_access_claim()
    {
        using var temp = new TempDirectory();
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=token-issuer", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        var bundle = Path.Combine(temp.Path, "root.pem");
        await File.WriteAllTextAsync(bundle, certificate.ExportCertificatePem());
        var options = new RegistryServerOptions { Token = new TokenAuthOptions("https://auth.example/token", "registry.example", "test-issuer", bundle) };
        await using var host = await RegistryHost.StartAsync(RegistryHost.InMemory(), options);

        using var anonymous = await host.Client.GetAsync("/v2/lib/app/tags/list");
        await anonymous.ShouldBeErrorAsync(HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        anonymous.Header("WWW-Authenticate").ShouldBe("Bearer realm=\"https://auth.example/token\",service=\"registry.example\",scope=\"repository:lib/app:pull\"");

        var signing = new SigningCredentials(new X509SecurityKey(certificate), SecurityAlgorithms.RsaSha256);
        string Token(string issuer, string name, params string[] actions) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = "registry.example",
            Expires = DateTime.UtcNow.AddMinutes(5),
            Subject = new ClaimsIdentity([new Claim("sub", "alice")]),
            Claims = new Dictionary<string, object>
            {
                ["access"] = new List<object> { new Dictionary<string, object> { ["type"] = "repository", ["name"] = name, ["actions"] = actions.ToList() } },
            },
            SigningCredentials = signing,
        });

        host.Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token("test-issuer", "lib/app", "pull", "push"));
        await PushBlobAsync(host.Client, "lib/app", [4, 5, 6]);
        using var other = await host.Client.GetAsync("/v2/lib/other/tags/list");
        await other.ShouldBeErrorAsync(HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        other.Header("WWW-Authenticate").ShouldContain("error=\"insufficient_scope\"");

        host.Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token("someone-else", "lib/app", "pull"));
        using var wrongIssuer = await host.Client.GetAsync("/v2/lib/app/tags/list");
        await wrongIssuer.ShouldBeErrorAsync(HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        wrongIssuer.Header("WWW-Authenticate").ShouldContain("error=\"invalid_token\"");
    }
}
