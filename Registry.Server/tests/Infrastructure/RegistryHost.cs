using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Registry.Storage;
using Registry.Storage.Drivers.Filesystem;
using Registry.Storage.Drivers.InMemory;

namespace Registry.Server.Tests.Infrastructure;

/// <summary>A started registry on 127.0.0.1 (a real Kestrel socket) over a driver, with an HttpClient pointing at it.</summary>
internal sealed class RegistryHost : IAsyncDisposable
{
    private RegistryHost(WebApplication app, IStorageDriver driver, Uri baseAddress, HttpClient client)
    {
        App = app;
        Driver = driver;
        BaseAddress = baseAddress;
        Client = client;
    }

    public WebApplication App { get; }

    public IStorageDriver Driver { get; }

    public Uri BaseAddress { get; }

    /// <summary>host:port, as registry clients take it.</summary>
    public string Authority => BaseAddress.Authority;

    public HttpClient Client { get; }

    public static IStorageDriver InMemory() => new InMemoryDriver(new InMemoryParameters("/", null));

    public static IStorageDriver Filesystem(string root) => new FilesystemDriver(new FilesystemParameters(root, FilesystemParameters.DefaultMaxThreads));

    public static async Task<RegistryHost> StartAsync(IStorageDriver driver, RegistryServerOptions? options = null)
    {
        options ??= new RegistryServerOptions { DeleteEnabled = true };
        var scheme = options.Http.TlsCertificate is null ? "http" : "https";
        var app = RegistryServerApplication.Build(options, driver, null, [$"{scheme}://127.0.0.1:0"]);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var baseAddress = new Uri(address);
#pragma warning disable CA5400 // the tests' self-signed certificate
        var handler = new HttpClientHandler
        {
            AllowAutoRedirect = false,
            ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator,
        };
#pragma warning restore CA5400
        var client = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromMinutes(2) };
        return new RegistryHost(app, driver, baseAddress, client);
    }

    public static Task<RegistryHost> StartInMemoryAsync(RegistryServerOptions? options = null) => StartAsync(InMemory(), options);

    public void UseBasic(string user, string password) =>
        Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(user + ":" + password)));

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        if (Driver is IAsyncDisposable asyncDisposable)
        {
            await asyncDisposable.DisposeAsync();
        }
        else if (Driver is IDisposable disposable)
        {
            disposable.Dispose();
        }
    }
}
