using System.Security.Cryptography;
using Registry.Storage.Conformance;
using Registry.Storage.ServerFaults.Tests;

namespace Registry.Storage.Reliability.Tests.LongSoak;

/// <summary>
/// A network driver under the soak, with its production defaults (chunk size, concurrency),
/// rooted in a fresh folder. HTTP drivers talk through a <see cref="FaultProxy"/>, which resets
/// the connections of the reads the soak picks; a direct driver on the same root checks behind
/// the proxy's back. The restart is the server's own script under <c>services/</c>.
/// </summary>
internal sealed class DriverSoakTarget : ISoakTarget
{
    private const int WriteBuffer = 256 * 1024;

    private readonly FaultProxy? _proxy;
    private readonly IStorageDriver _driver;
    private readonly IStorageDriver _direct;
    private readonly DriverParameters _directParameters;

    private DriverSoakTarget(string name, FaultProxy? proxy, IStorageDriver driver, IStorageDriver direct, DriverParameters directParameters)
    {
        Name = name;
        _proxy = proxy;
        _driver = driver;
        _direct = direct;
        _directParameters = directParameters;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public string RestartDescription => Name switch
    {
        "s3" => "radosgw killed (SIGKILL) and started again (services/ceph/restart-rgw.sh)",
        "swift" => "the Swift proxy server killed (SIGKILL) and started again (services/swift/restart-proxy.sh)",
        "azure" => "Azurite killed (SIGKILL) and started again on its state folder (services/azurite/restart.sh), after its metadata save: connections refused meanwhile",
        "rados" => "the OSD killed (SIGKILL) and started again (services/ceph/restart-osd.sh): the one-OSD pool stops until it is back",
        "oss" => "an outage of 20 s (connections refused by the proxy): the stand-in keeps its index in memory, so a process restart would be a new, empty bucket",
        _ => "none",
    };

    /// <inheritdoc />
    public bool CanDropConnections => _proxy is not null;

    /// <summary>Creates the target for <paramref name="name"/> from the service's environment.</summary>
    public static async Task<DriverSoakTarget> CreateAsync(string name, CancellationToken cancellationToken)
    {
        var required = Drivers.Network.Single(d => d.Name == name).Required;
        var direct = Drivers.NetworkParameters(name, required, Drivers.RunSegment("long-soak"));
        FaultProxy? proxy = null;
        var parameters = direct;
        if (ProxiedDriver.EndpointParameter.TryGetValue(name, out var endpointName))
        {
            var endpoint = new Uri(direct.GetString(endpointName) ?? throw new InvalidOperationException($"{name}: {endpointName} is not set"));
            proxy = FaultProxy.Start(endpoint.Port);
            proxy.KeepRequestLines = false;
            parameters = direct.With(endpointName, new UriBuilder(endpoint) { Port = proxy.Port }.Uri.AbsoluteUri.TrimEnd('/'));
        }

        var driver = await Drivers.CreateAsync(name, parameters, cancellationToken).ConfigureAwait(false);
        var directDriver = await Drivers.CreateAsync(name, direct, cancellationToken).ConfigureAwait(false);
        return new DriverSoakTarget(name, proxy, driver, directDriver, direct);
    }

    /// <inheritdoc />
    public async Task<(string Key, byte[] Sha256)> WriteAsync(string name, long size, ulong seed, WriteEnding ending, long stopAt, CancellationToken cancellationToken)
    {
        using var abandon = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var writer = await _driver.WriterAsync(name, append: false, cancellationToken).ConfigureAwait(false);
        await using (writer.ConfigureAwait(false))
        {
            try
            {
                using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                await using var source = new SeededRandomStream(size, seed);
                var buffer = new byte[WriteBuffer];
                for (long sent = 0; sent < stopAt;)
                {
                    var n = await source.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, stopAt - sent)), cancellationToken).ConfigureAwait(false);
                    hash.AppendData(buffer, 0, n);
                    await writer.WriteAsync(buffer.AsMemory(0, n), abandon.Token).ConfigureAwait(false);
                    sent += n;
                }

                switch (ending)
                {
                    case WriteEnding.Commit:
                        await writer.CommitAsync(cancellationToken).ConfigureAwait(false);
                        break;
                    case WriteEnding.Cancel:
                        await writer.CancelAsync(cancellationToken).ConfigureAwait(false);
                        break;
                    default:
                        // The client gives up while a write is in flight, then cleans up as a client does.
                        await abandon.CancelAsync().ConfigureAwait(false);
                        try
                        {
                            await writer.WriteAsync(buffer.AsMemory(0, Math.Min(buffer.Length, 4096)), abandon.Token).ConfigureAwait(false);
                        }
                        catch (OperationCanceledException)
                        {
                        }

                        await writer.CancelAsync(cancellationToken).ConfigureAwait(false);
                        break;
                }

                return (name, hash.GetHashAndReset());
            }
            catch (Exception)
            {
                // A failed write is discarded as a client would; when that fails too (the server is
                // down), the upload is left for the leftover check to find.
                try
                {
                    using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                    await writer.CancelAsync(bound.Token).ConfigureAwait(false);
                }
                catch (Exception)
                {
                }

                throw;
            }
        }
    }

    /// <inheritdoc />
    public async Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken) =>
        await _driver.ReaderAsync(key, 0, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public string KeyOf(string name, byte[] sha256) => name;

    /// <inheritdoc />
    public void DropNextRead(string key, long afterBytes) =>
        _proxy?.AddRule(new FaultRule($"reset the GET of {key}", line => line.StartsWith("GET ", StringComparison.Ordinal) && line.Contains(key, StringComparison.Ordinal), FaultAction.ResetResponseAfter, times: 1) { Bytes = afterBytes });

    /// <inheritdoc />
    public async Task<bool> ExistsAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            await _direct.StatAsync(key, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (PathNotFoundException)
        {
            return false;
        }
    }

    /// <inheritdoc />
    public Task DeleteAsync(string key, CancellationToken cancellationToken) => _driver.DeleteAsync(key, cancellationToken);

    /// <inheritdoc />
    public async Task RestartAsync(CancellationToken cancellationToken)
    {
        var bound = TimeSpan.FromSeconds(300);
        switch (Name)
        {
            case "oss":
                _proxy!.Refuse();
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(20), cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    _proxy.Resume();
                }

                break;
            case "azure":
                // Azurite saves committed metadata every 5 s: traffic stops first, so what was
                // acknowledged is saved before the kill (a crash would lose it: the emulator's property).
                _proxy!.Refuse();
                try
                {
                    // Under the soak's load a save can take longer than the script's 15 s wait.
                    for (var attempt = 1; ; attempt++)
                    {
                        try
                        {
                            await ServiceScript.RunAsync("azurite/restart.sh", ["--sync"], null, bound).ConfigureAwait(false);
                            break;
                        }
                        catch (InvalidOperationException) when (attempt < 4)
                        {
                        }
                    }

                    await ServiceScript.RunAsync("azurite/restart.sh", [], null, bound).ConfigureAwait(false);
                }
                finally
                {
                    _proxy.Resume();
                }

                break;
            default:
                await ServiceScript.RunAsync(Name switch
                {
                    "s3" => "ceph/restart-rgw.sh",
                    "swift" => "swift/restart-proxy.sh",
                    "rados" => "ceph/restart-osd.sh",
                    _ => throw new InvalidOperationException($"{Name}: no restart script"),
                }, [], null, bound).ConfigureAwait(false);
                break;
        }
    }

    /// <inheritdoc />
    public async Task<ServerLeftovers.Finding> LeftoversAsync(IReadOnlyCollection<string> cancelledKeys, CancellationToken cancellationToken)
    {
        var server = await ServerLeftovers.CheckAsync(Name, _directParameters, _direct, cancelledKeys, cancellationToken).ConfigureAwait(false);
        var listed = new List<PendingUpload>();
        await foreach (var upload in _direct.ListUploadsAsync("/", cancellationToken).ConfigureAwait(false))
        {
            listed.Add(upload);
        }

        foreach (var upload in listed)
        {
            await _direct.DiscardUploadAsync(upload.Path, cancellationToken).ConfigureAwait(false);
        }

        var after = await ServerLeftovers.CheckAsync(Name, _directParameters, _direct, cancelledKeys, cancellationToken).ConfigureAwait(false);

        // Swift's listings are eventually consistent: a container update that timed out under load
        // is applied later by the object-updater, and until then a committed manifest is missing
        // from the listing and its segments look orphaned. Give the listings a minute to settle.
        for (var wait = 0; after.Leftovers > 0 && Name == "swift" && wait < 4; wait++)
        {
            await Task.Delay(TimeSpan.FromSeconds(15), cancellationToken).ConfigureAwait(false);
            after = await ServerLeftovers.CheckAsync(Name, _directParameters, _direct, cancelledKeys, cancellationToken).ConfigureAwait(false);
        }

        if (after.Leftovers > 0)
        {
            throw new InvalidOperationException($"{Name}: after discarding the {listed.Count} uploads ListUploads reported, the server still holds uploads: {after.Text}");
        }

        var count = Name == "rados" ? listed.Count : server.Leftovers;
        return new ServerLeftovers.Finding(count,
            $"{server.Text}; the driver's ListUploads: {listed.Count}{(listed.Count == 0 ? "" : $" (e.g. {string.Join(", ", listed.Take(3).Select(u => u.Path))})")}, discarded; then on the server: {after.Text}",
            server.OfCancelledWrites);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        try
        {
            await Drivers.DeleteAllAsync(_direct, CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            await _driver.DisposeAsync().ConfigureAwait(false);
            await _direct.DisposeAsync().ConfigureAwait(false);
            if (_proxy is not null)
            {
                await _proxy.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
