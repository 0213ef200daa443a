using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Registry.Storage.Oss.StandIn;

/// <summary>
/// A running stand-in: Kestrel on 127.0.0.1 serving one bucket in virtual-hosted style, every
/// request signature-checked, objects on disk. Usable in-process by tests and standalone
/// (<c>Program</c>) by the conformance runner.
/// </summary>
public sealed class OssStandInServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _dataDirectory;
    private readonly bool _ownsDataDirectory;

    private OssStandInServer(WebApplication app, OssStandInOptions options, string dataDirectory, bool ownsDataDirectory, int port)
    {
        _app = app;
        Options = options;
        _dataDirectory = dataDirectory;
        _ownsDataDirectory = ownsDataDirectory;
        Port = port;
    }

    /// <summary>The options it runs with.</summary>
    public OssStandInOptions Options { get; }

    /// <summary>The loopback port it listens on.</summary>
    public int Port { get; }

    /// <summary>The endpoint a driver is configured with: <c>http://&lt;endpoint host&gt;:&lt;port&gt;</c> (reached through the driver's loopback switch).</summary>
    public string Endpoint => $"http://{Options.EndpointHost}:{Port}";

    /// <summary>The oss driver parameters that reach this instance (the secret included: tests only).</summary>
    public IReadOnlyDictionary<string, string> DriverParameters => new Dictionary<string, string>
    {
        ["accesskeyid"] = Options.AccessKeyId,
        ["accesskeysecret"] = Options.AccessKeySecret,
        ["region"] = Options.Region,
        ["bucket"] = Options.Bucket,
        ["endpoint"] = Endpoint,
        ["secure"] = "false",
        ["testloopback"] = "true",
    }.Concat(Options.SecurityToken is null ? [] : [new KeyValuePair<string, string>("securitytoken", Options.SecurityToken)]).ToDictionary();

    /// <summary>Starts a stand-in and returns once it accepts connections.</summary>
    public static async Task<OssStandInServer> StartAsync(OssStandInOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var owns = options.DataDirectory is null;
        var data = options.DataDirectory ?? Path.Combine(Path.GetTempPath(), "oss-standin-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(data);

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, options.Port);
            kestrel.Limits.MaxRequestBodySize = null; // parts of up to 5 GB, as OSS allows
            kestrel.AddServerHeader = false;
        });
        var store = new BlobStore(data, TimeProvider.System);
        var handlers = new StandInHandlers(options, store, new RequestAuthenticator(options, TimeProvider.System));
        var app = builder.Build();
        app.Run(handlers.HandleAsync);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new OssStandInServer(app, options, data, owns, new Uri(address).Port);
    }

    /// <summary>Stops the server and removes its data when it created the folder.</summary>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        if (_ownsDataDirectory && Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }
}
