using System.Net;
using Microsoft.Extensions.Configuration;
using Registry.Server.Configuration;
using Registry.Storage.Hosting.Configuration;
using Registry.Server.Tests.Infrastructure;
using static Registry.Server.Tests.Infrastructure.RegistryApi;

namespace Registry.Server.Tests.Api;

public sealed class ConfigurationTests
{
    private static IConfiguration Config(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    [Test]
    public void Distribution_config_keys_are_read()
    {
        var options = RegistryServerOptions.FromConfiguration(Config(
            ("version", "0.1"),
            ("http:addr", "127.0.0.1:5001"),
            ("http:host", "https://registry.example:5443"),
            ("http:prefix", "/reg/"),
            ("http:relativeurls", "true"),
            ("http:tls:certificate", "/c.pem"),
            ("http:tls:key", "/k.pem"),
            ("http:headers:X-Content-Type-Options:0", "nosniff"),
            ("auth:htpasswd:realm", "basic-realm"),
            ("auth:htpasswd:path", "/auth/htpasswd"),
            ("storage:filesystem:rootdirectory", "/var/lib/registry"),
            ("storage:delete:enabled", "true"),
            ("storage:redirect:disable", "true"),
            ("storage:maintenance:readonly:enabled", "true"),
            ("storage:maintenance:uploadpurging:enabled", "true"),
            ("storage:maintenance:uploadpurging:age", "1h30m"),
            ("storage:maintenance:uploadpurging:interval", "10m"),
            ("storage:maintenance:uploadpurging:dryrun", "true"),
            ("health:storagedriver:enabled", "false")));
        options.Http.Addr.ShouldBe("127.0.0.1:5001");
        options.Http.Host.ShouldBe(new Uri("https://registry.example:5443"));
        options.Http.Prefix.ShouldBe("/reg");
        options.Http.RelativeUrls.ShouldBeTrue();
        options.Http.TlsCertificate.ShouldBe("/c.pem");
        options.Http.TlsKey.ShouldBe("/k.pem");
        options.Http.Headers["X-Content-Type-Options"].ShouldBe(["nosniff"]);
        options.Htpasswd.ShouldBe(new HtpasswdOptions("basic-realm", "/auth/htpasswd"));
        options.DeleteEnabled.ShouldBeTrue();
        options.RedirectDisabled.ShouldBeTrue();
        options.ReadOnly.ShouldBeTrue();
        options.UploadPurging.ShouldBe(new UploadPurgingOptions { Enabled = true, Age = TimeSpan.FromMinutes(90), Interval = TimeSpan.FromMinutes(10), DryRun = true });
        options.HealthCheckStorage.ShouldBeFalse();
        options.Warnings.ShouldBeEmpty();
    }

    [Test]
    public void Defaults_are_distributions_and_unknown_sections_are_warnings()
    {
        var options = RegistryServerOptions.FromConfiguration(Config(("notifications:endpoints:0:name", "x"), ("proxy:remoteurl", "https://r"), ("auth:silly:realm", "r")));
        options.Http.Addr.ShouldBe(":5000");
        options.Http.Prefix.ShouldBe("/");
        options.DeleteEnabled.ShouldBeFalse();
        options.UploadPurging.ShouldBe(new UploadPurgingOptions { Enabled = true, Age = TimeSpan.FromHours(168), Interval = TimeSpan.FromHours(24), DryRun = false });
        options.Warnings.Count.ShouldBe(3);
        options.Warnings.ShouldContain(w => w.Contains("notifications", StringComparison.Ordinal));
        options.Warnings.ShouldContain(w => w.Contains("auth.silly", StringComparison.Ordinal));
    }

    [TestCase("storage:delete:enabled", "yes", "storage:delete:enabled")]
    [TestCase("storage:maintenance:uploadpurging:age", "a week", "age")]
    [TestCase("auth:htpasswd:realm", "r", "auth:")]
    public void Bad_values_fail_naming_the_key(string key, string value, string named)
    {
        var error = Should.Throw<FormatException>(() => RegistryServerOptions.FromConfiguration(Config((key, value))));
        error.Message.ShouldContain(named);
    }

    [Test]
    public async Task Build_listens_on_http_addr_with_port_zero_on_loopback()
    {
        var app = RegistryServerApplication.Build(new RegistryServerOptions { Http = new HttpOptions { Addr = "127.0.0.1:0" } }, RegistryHost.InMemory());
        await app.StartAsync();
        try
        {
            var address = app.Urls.Single();
            address.ShouldStartWith("http://127.0.0.1:");
            using var client = new HttpClient();
            (await client.GetAsync(address + "/v2/")).StatusCode.ShouldBe(HttpStatusCode.OK);
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    [Test]
    public async Task Prefix_serves_the_api_below_it_and_locations_carry_it()
    {
        await using var host = await RegistryHost.StartAsync(RegistryHost.InMemory(), new RegistryServerOptions { Http = new HttpOptions { Prefix = "/mirror" } });
        (await host.Client.GetAsync("/mirror/v2/")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await host.Client.GetAsync("/v2/")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        using var empty = new ByteArrayContent([]);
        using var start = await host.Client.PostAsync("/mirror/v2/p/blobs/uploads/", empty);
        start.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        start.Headers.Location!.AbsolutePath.ShouldStartWith("/mirror/v2/p/blobs/uploads/");
    }

    [Test]
    public async Task Configured_headers_and_http_host_and_relative_urls_shape_responses()
    {
        await using (var host = await RegistryHost.StartAsync(RegistryHost.InMemory(), new RegistryServerOptions
        {
            Http = new HttpOptions
            {
                Host = new Uri("https://registry.example"),
                Headers = new Dictionary<string, IReadOnlyList<string>> { ["X-Content-Type-Options"] = ["nosniff"] },
            },
        }))
        {
            using var empty = new ByteArrayContent([]);
            using var start = await host.Client.PostAsync("/v2/p/blobs/uploads/", empty);
            start.Header("X-Content-Type-Options").ShouldBe("nosniff");
            start.Headers.Location!.ToString().ShouldStartWith("https://registry.example/v2/p/blobs/uploads/");
        }

        await using (var host = await RegistryHost.StartAsync(RegistryHost.InMemory(), new RegistryServerOptions { Http = new HttpOptions { RelativeUrls = true } }))
        {
            using var empty = new ByteArrayContent([]);
            using var start = await host.Client.PostAsync("/v2/p/blobs/uploads/", empty);
            start.Headers.Location!.IsAbsoluteUri.ShouldBeFalse();
            start.Headers.Location.ToString().ShouldStartWith("/v2/p/blobs/uploads/");
        }
    }

    [Test]
    public async Task Read_only_refuses_every_write_with_405_unsupported_and_serves_reads()
    {
        var driver = RegistryHost.InMemory();
        string digest;
        await using (var writable = await RegistryHost.StartAsync(driver, new RegistryServerOptions()))
        {
            digest = await PushBlobAsync(writable.Client, "ro", [1, 2, 3]);
        }

        await using var host = await RegistryHost.StartAsync(driver, new RegistryServerOptions { ReadOnly = true, DeleteEnabled = true });
        using var empty = new ByteArrayContent([]);
        using var post = await host.Client.PostAsync("/v2/ro/blobs/uploads/", empty);
        await post.ShouldBeErrorAsync(HttpStatusCode.MethodNotAllowed, "UNSUPPORTED");
        using var put = await PutManifestAsync(host.Client, "ro", "v1", [1], OciManifest);
        await put.ShouldBeErrorAsync(HttpStatusCode.MethodNotAllowed, "UNSUPPORTED");
        using var delete = await host.Client.DeleteAsync($"/v2/ro/blobs/{digest}");
        await delete.ShouldBeErrorAsync(HttpStatusCode.MethodNotAllowed, "UNSUPPORTED");
        (await host.Client.GetAsync($"/v2/ro/blobs/{digest}")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Test]
    public async Task Health_is_503_naming_the_driver_when_storage_fails()
    {
        await using var host = await RegistryHost.StartAsync(new FailingStatDriver(RegistryHost.InMemory()), new RegistryServerOptions());
        using var response = await host.Client.GetAsync("/debug/health");
        response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        (await response.Content.ReadAsStringAsync()).ShouldContain("storagedriver_inmemory");
    }

    private sealed class FailingStatDriver(IStorageDriver inner) : Registry.Storage.Kit.DelegatingStorageDriver(inner)
    {
        public override Task<StorageFileInfo> StatAsync(string path, CancellationToken cancellationToken = default) =>
            throw new StorageDriverException(Name, "backend unreachable");
    }
}

public sealed class DistributionEnvironmentTests
{
    [Test]
    public void Registry_variables_override_the_file_as_distribution_reads_them()
    {
        var file = new Dictionary<string, string?> { ["storage:delete:enabled"] = "false", ["http:addr"] = ":5000" };
        var environment = new System.Collections.Hashtable
        {
            ["REGISTRY_STORAGE_DELETE_ENABLED"] = "true",
            ["REGISTRY_HTTP_TLS_CERTIFICATE"] = "/certs/domain.crt",
            ["REGISTRY_STORAGE_MAINTENANCE_UPLOADPURGING_AGE"] = "2h",
            ["PATH"] = "/usr/bin",
        };
        var root = new Microsoft.Extensions.Configuration.ConfigurationBuilder()
            .AddInMemoryCollection(file)
            .AddDistributionEnvironmentVariables(environment) // the hosting library's source, which regstore serve reads
            .Build();
        var options = RegistryServerOptions.FromConfiguration(root);
        options.DeleteEnabled.ShouldBeTrue();
        options.Http.Addr.ShouldBe(":5000");
        options.Http.TlsCertificate.ShouldBe("/certs/domain.crt");
        options.UploadPurging.Age.ShouldBe(TimeSpan.FromHours(2));
    }
}

public sealed class ClientConcurrencyLimitTests
{
    [Test]
    public async Task Requests_beyond_the_per_client_limit_are_429_too_many_requests()
    {
        var gate = new TaskCompletionSource();
        var driver = new StallingDriver(RegistryHost.InMemory(), gate.Task);
        await using var host = await RegistryHost.StartAsync(driver, new RegistryServerOptions { MaxConcurrentRequestsPerClient = 2 });
        var stalled = Enumerable.Range(0, 2).Select(i => host.Client.GetAsync($"/v2/r{i}/tags/list")).ToList();
        for (var i = 0; i < 100 && driver.Stalled < 2; i++)
        {
            await Task.Delay(20);
        }

        driver.Stalled.ShouldBe(2);
        using var refused = await host.Client.GetAsync("/v2/other/tags/list");
        await refused.ShouldBeErrorAsync(HttpStatusCode.TooManyRequests, "TOO_MANY_REQUESTS");
        refused.Header("Retry-After").ShouldBe("1");
        gate.SetResult();
        foreach (var response in await Task.WhenAll(stalled))
        {
            response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        }

        (await host.Client.GetAsync("/v2/")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    private sealed class StallingDriver(IStorageDriver inner, Task gate) : Registry.Storage.Kit.DelegatingStorageDriver(inner)
    {
        private int _stalled;

        public int Stalled => Volatile.Read(ref _stalled);

        public override async IAsyncEnumerable<string> ListAsync(string path, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _stalled);
            await gate.WaitAsync(cancellationToken);
            await foreach (var child in base.ListAsync(path, cancellationToken))
            {
                yield return child;
            }
        }
    }
}

public sealed class TlsListenTests
{
    [Test]
    public async Task Http_addr_with_tls_serves_https_with_the_configured_certificate()
    {
        using var temp = new TempDirectory();
        var (certificate, key) = Registry.Server.Tests.Clients.TestCertificate.WritePem(temp.Path);
        var options = new RegistryServerOptions { Http = new HttpOptions { Addr = "127.0.0.1:0", TlsCertificate = certificate, TlsKey = key } };
        var app = RegistryServerApplication.Build(options, RegistryHost.InMemory());
        await app.StartAsync();
        try
        {
            var address = app.Urls.Single();
            address.ShouldStartWith("https://127.0.0.1:");
            System.Security.Cryptography.X509Certificates.X509Certificate2? seen = null;
            using var handler = new HttpClientHandler
            {
                ServerCertificateCustomValidationCallback = (_, cert, _, _) =>
                {
                    seen = cert is null ? null : new System.Security.Cryptography.X509Certificates.X509Certificate2(cert);
                    return true;
                },
            };
            using var client = new HttpClient(handler);
            (await client.GetAsync(address + "/v2/")).StatusCode.ShouldBe(HttpStatusCode.OK);
            seen.ShouldNotBeNull().Subject.ShouldBe("CN=127.0.0.1");
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}
