namespace Registry.Storage.Reliability.Tests;

/// <summary>
/// A network driver whose traffic goes through a <see cref="FaultProxy"/>: the endpoint
/// parameter (s3 <c>regionendpoint</c>, swift <c>authurl</c> — tempauth builds the storage URL
/// from the Host header, so storage requests come back through the proxy too — azure
/// <c>serviceurl</c>, oss <c>endpoint</c> with <c>testloopback</c>) gets the proxy's port.
/// Also a direct driver on the same root, to write and check behind the proxy's back.
/// </summary>
internal sealed class ProxiedDriver : IAsyncDisposable
{
    /// <summary>The parameter holding each driver's endpoint URL.</summary>
    public static readonly IReadOnlyDictionary<string, string> EndpointParameter = new Dictionary<string, string>
    {
        ["s3"] = "regionendpoint",
        ["swift"] = "authurl",
        ["azure"] = "serviceurl",
        ["oss"] = "endpoint",
    };

    /// <summary>Each driver's commit request: the one whose loss must leave nothing at the path.</summary>
    public static readonly IReadOnlyDictionary<string, Func<string, bool>> CommitRequest = new Dictionary<string, Func<string, bool>>
    {
        // CompleteMultipartUpload: POST /bucket/key?uploadId=...
        ["s3"] = line => line.StartsWith("POST ", StringComparison.Ordinal) && line.Contains("uploadId=", StringComparison.Ordinal),
        // the SLO manifest: PUT .../files/path?multipart-manifest=put
        ["swift"] = line => line.StartsWith("PUT ", StringComparison.Ordinal) && line.Contains("multipart-manifest=put", StringComparison.Ordinal),
        // Put Block List: PUT ...?comp=blocklist
        ["azure"] = line => line.StartsWith("PUT ", StringComparison.Ordinal) && line.Contains("comp=blocklist", StringComparison.Ordinal),
        // CompleteMultipartUpload: POST /key?uploadId=...
        ["oss"] = line => line.StartsWith("POST ", StringComparison.Ordinal) && line.Contains("uploadId=", StringComparison.Ordinal),
    };

    /// <summary>A chunk size that makes a write of <see cref="MultipartSize"/> bytes a multi-part upload (each driver's minimum).</summary>
    public static readonly IReadOnlyDictionary<string, string> SmallChunk = new Dictionary<string, string>
    {
        ["s3"] = "5MB",
        ["swift"] = "1MB",
        ["azure"] = "1MB",
        ["oss"] = "5MB",
    };

    /// <summary>Bytes written where the commit must be a multi-part commit.</summary>
    public const int MultipartSize = 6 * 1024 * 1024 + 12345;

    private ProxiedDriver(string name, FaultProxy proxy, IStorageDriver driver, IStorageDriver direct, DriverParameters directParameters)
    {
        Name = name;
        Proxy = proxy;
        Driver = driver;
        Direct = direct;
        DirectParameters = directParameters;
    }

    /// <summary>The driver's name.</summary>
    public string Name { get; }

    /// <summary>The proxy its traffic goes through.</summary>
    public FaultProxy Proxy { get; }

    /// <summary>The driver talking through the proxy.</summary>
    public IStorageDriver Driver { get; }

    /// <summary>A driver on the same root talking to the server directly.</summary>
    public IStorageDriver Direct { get; }

    /// <summary>The direct driver's parameters (to create "a fresh process").</summary>
    public DriverParameters DirectParameters { get; }

    /// <summary>Creates the proxy and both drivers for <paramref name="name"/>, rooted in a fresh run folder.</summary>
    public static async Task<ProxiedDriver> CreateAsync(string name, CancellationToken cancellationToken)
    {
        var required = Drivers.Network.Single(d => d.Name == name).Required;
        var direct = Drivers.NetworkParameters(name, required, Drivers.RunSegment("faults"))
            .With("chunksize", SmallChunk[name]);
        var endpointName = EndpointParameter[name];
        var endpoint = new Uri(direct.GetString(endpointName) ?? throw new InvalidOperationException($"{name}: {endpointName} is not set"));
        var proxy = FaultProxy.Start(endpoint.Port);
        var proxied = direct.With(endpointName, new UriBuilder(endpoint) { Port = proxy.Port }.Uri.AbsoluteUri.TrimEnd('/'));
        try
        {
            var driver = await Drivers.CreateAsync(name, proxied, cancellationToken).ConfigureAwait(false);
            var directDriver = await Drivers.CreateAsync(name, direct, cancellationToken).ConfigureAwait(false);
            return new ProxiedDriver(name, proxy, driver, directDriver, direct);
        }
        catch
        {
            await proxy.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        Proxy.ClearRules();
        Proxy.Resume();
        Proxy.Throttle(0);
        try
        {
            await Drivers.DeleteAllAsync(Direct, CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            await Proxy.DisposeAsync().ConfigureAwait(false);
            (Driver as IDisposable)?.Dispose();
            (Direct as IDisposable)?.Dispose();
        }
    }
}
