using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Cryptography;
using Registry.Storage.Conformance;

namespace Registry.Storage.Reliability.Tests.LongSoak;

/// <summary>
/// <c>regstore serve</c> (the published host, over the filesystem driver in a fresh folder) under
/// the soak: objects are blobs pushed with the OCI upload API (POST, a streamed PATCH, PUT with the
/// digest; DELETE of the upload for cancels, a client disconnect mid-PATCH for abandons), each
/// then referenced by a tagged manifest of its own, read back with GET by digest, deleted as a
/// registry user deletes an image (the manifest by digest, then the blob). The registry runs its
/// scheduled gc every 2 minutes meanwhile, as an operator would run it: that is what gives a
/// deleted blob's space back (a registry keeps the data until gc, as distribution does), and the
/// soak then checks that no collection ever took a blob a live manifest references, or one being
/// pushed. The restart kills the registry process (SIGKILL) and starts it again on the same
/// folder and port. Leftovers are what <c>regstore uploads ls</c> finds.
/// </summary>
internal sealed class RegistrySoakTarget : ISoakTarget
{
    private readonly string _regstore;
    private readonly string _folder;
    private readonly string _logFolder;
    private readonly string _config;
    private readonly int _port;
    private readonly HttpClient _http;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _manifestOf = new(StringComparer.Ordinal);
    private Process _server;

    private RegistrySoakTarget(string regstore, string folder, string logFolder, string config, int port, Process server)
    {
        _logFolder = logFolder;
        _regstore = regstore;
        _folder = folder;
        _config = config;
        _port = port;
        _server = server;
        _http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }) { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <inheritdoc />
    public string Name => "serve (filesystem)";

    /// <inheritdoc />
    public string RestartDescription => "the regstore serve process killed (SIGKILL) and started again on the same folder and port";

    /// <inheritdoc />
    public bool CanDropConnections => false;

    /// <summary>Starts <c>regstore serve</c> from <paramref name="regstore"/> on a fresh folder and a free port.</summary>
    public static async Task<RegistrySoakTarget> StartAsync(string regstore, string logFolder, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(logFolder);
        var folder = Path.Combine(Path.GetTempPath(), Drivers.RunSegment("serve-soak"));
        Directory.CreateDirectory(folder);
        var port = FreePort();
        var config = Path.Combine(folder, "config.yml");
        await File.WriteAllTextAsync(config, $"""
            version: 0.1
            log: {"{"} level: warn {"}"}
            storage:
              delete: {"{"} enabled: true {"}"}
              maintenance:
                gc: {"{"} enabled: true, interval: 2m, grace: 3m {"}"}
              filesystem:
                rootdirectory: '{folder}/root'
            http:
              addr: 127.0.0.1:{port}
            """, cancellationToken).ConfigureAwait(false);
        var server = await LaunchAsync(regstore, config, logFolder, port, cancellationToken).ConfigureAwait(false);
        return new RegistrySoakTarget(regstore, folder, logFolder, config, port, server);
    }

    /// <inheritdoc />
    public long ServerResidentBytes()
    {
        try
        {
            // VmRSS of /proc/<pid>/status, in kB: the registry's own memory, sampled beside the soak's.
            var line = File.ReadLines($"/proc/{_server.Id}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
        }
        catch (Exception e) when (e is IOException or InvalidOperationException)
        {
            return 0; // between the kill and the new process
        }
    }

    /// <inheritdoc />
    public async Task<(string Key, byte[] Sha256)> WriteAsync(string name, long size, ulong seed, WriteEnding ending, long stopAt, CancellationToken cancellationToken)
    {
        // The digest is needed for the closing PUT.
        var repository = RepositoryOf(name);
        byte[] sha;
        await using (var source = new SeededRandomStream(size, seed))
        {
            sha = (await StreamChecks.HashAsync(source, cancellationToken).ConfigureAwait(false)).Sha256;
        }

        var key = KeyOf(name, sha);
        using var start = await _http.PostAsync($"/v2/{repository}/blobs/uploads/", null, cancellationToken).ConfigureAwait(false);
        Expect(start, HttpStatusCode.Accepted, "start an upload");
        var location = start.Headers.Location ?? throw new InvalidOperationException("the registry answered the upload start without a Location");
        using var abandon = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            await using var body = new SeededRandomStream(size, seed);
            var content = new StreamContent(new LimitedStream(body, stopAt, ending == WriteEnding.Abandon ? abandon : null), 256 * 1024);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            using var patch = new HttpRequestMessage(HttpMethod.Patch, location) { Content = content };
            try
            {
                using var patched = await _http.SendAsync(patch, abandon.Token).ConfigureAwait(false);
                Expect(patched, HttpStatusCode.Accepted, "send the upload's bytes");
                location = patched.Headers.Location ?? location;
            }
            catch (OperationCanceledException) when (ending == WriteEnding.Abandon && !cancellationToken.IsCancellationRequested)
            {
                // the client disconnected mid-body; it cleans up below
            }

            if (ending == WriteEnding.Commit)
            {
                using var put = await _http.PutAsync(location + (location.ToString().Contains('?', StringComparison.Ordinal) ? "&" : "?") + "digest=sha256:" + Convert.ToHexStringLower(sha), null, cancellationToken).ConfigureAwait(false);
                Expect(put, HttpStatusCode.Created, "commit the upload");
                _manifestOf[key] = await PutManifestAsync(repository, sha, size, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await CancelUploadAsync(location, cancellationToken).ConfigureAwait(false);
            }

            return (key, sha);
        }
        catch (Exception)
        {
            try
            {
                await CancelUploadAsync(location, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception)
            {
                // the registry is down: the leftover check finds the upload
            }

            throw;
        }
    }

    /// <inheritdoc />
    public async Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken)
    {
        var response = await _http.GetAsync(BlobUrl(key), HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            response.Dispose();
            throw new PathNotFoundException("serve", key);
        }

        Expect(response, HttpStatusCode.OK, "read a blob");
        return new ResponseStream(response, await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false));
    }

    /// <inheritdoc />
    public string KeyOf(string name, byte[] sha256) => RepositoryOf(name) + "@sha256:" + Convert.ToHexStringLower(sha256);

    /// <inheritdoc />
    public void DropNextRead(string key, long afterBytes) => throw new NotSupportedException("the registry soak drops reads on the client side only");

    /// <inheritdoc />
    public async Task<bool> ExistsAsync(string key, CancellationToken cancellationToken)
    {
        using var head = await _http.SendAsync(new HttpRequestMessage(HttpMethod.Head, BlobUrl(key)), cancellationToken).ConfigureAwait(false);
        if (head.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }

        Expect(head, HttpStatusCode.OK, "HEAD a blob");
        return true;
    }

    /// <inheritdoc />
    public async Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        if (_manifestOf.TryGetValue(key, out var manifest))
        {
            using var untagged = await _http.DeleteAsync($"/v2/{Split(key).Repository}/manifests/{manifest}", cancellationToken).ConfigureAwait(false);
            if (untagged.StatusCode != HttpStatusCode.NotFound)
            {
                Expect(untagged, HttpStatusCode.Accepted, "delete a manifest");
            }

            _manifestOf.TryRemove(key, out _);
        }

        using var deleted = await _http.DeleteAsync(BlobUrl(key), cancellationToken).ConfigureAwait(false);
        Expect(deleted, HttpStatusCode.Accepted, "delete a blob");
    }

    /// <inheritdoc />
    public async Task RestartAsync(CancellationToken cancellationToken)
    {
        _server.Kill(entireProcessTree: true);
        await _server.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        _server.Dispose();
        _server = await LaunchAsync(_regstore, _config, _logFolder, _port, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<ServerLeftovers.Finding> LeftoversAsync(IReadOnlyCollection<string> cancelledKeys, CancellationToken cancellationToken)
    {
        var before = await UploadsAsync(["uploads", "ls"], cancellationToken).ConfigureAwait(false);
        await UploadsAsync(["uploads", "purge", "--older-than", "0s"], cancellationToken).ConfigureAwait(false);
        var after = await UploadsAsync(["uploads", "ls"], cancellationToken).ConfigureAwait(false);
        if (after.Count > 0)
        {
            throw new InvalidOperationException($"serve: uploads purge --older-than 0s left {after.Count} uploads: {string.Join(", ", after.Take(2))}");
        }

        return new ServerLeftovers.Finding(before.Count, $"regstore uploads ls: {before.Count} uploads{(before.Count == 0 ? "" : $" (e.g. {string.Join(", ", before.Take(2))})")}; after uploads purge --older-than 0s: {after.Count}");
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        try
        {
            _server.Kill(entireProcessTree: true);
            await _server.WaitForExitAsync().ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
            // exited already, or a restart failed between the kill and the new process
        }

        _server.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    // An image manifest whose config and only layer are the blob, tagged with the blob's digest: it
    // keeps the blob from gc until the soak deletes it. Returns the manifest's digest.
    private async Task<string> PutManifestAsync(string repository, byte[] sha, long size, CancellationToken cancellationToken)
    {
        var blob = $$"""{"mediaType":"application/octet-stream","digest":"sha256:{{Convert.ToHexStringLower(sha)}}","size":{{size}}}""";
        var body = System.Text.Encoding.UTF8.GetBytes(
            $$"""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{{blob.Replace("application/octet-stream", "application/vnd.regstore.soak.config.v1+octet-stream", StringComparison.Ordinal)}},"layers":[{{blob}}]}""");
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.oci.image.manifest.v1+json");
        using var put = await _http.PutAsync($"/v2/{repository}/manifests/{Convert.ToHexStringLower(sha)[..32]}", content, cancellationToken).ConfigureAwait(false);
        Expect(put, HttpStatusCode.Created, "put the blob's manifest");
        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(body));
    }

    // "/soak/w07/000123" → repository soak/w07.
    private static string RepositoryOf(string name) => name.Trim('/')[..name.Trim('/').LastIndexOf('/')];

    private static string BlobUrl(string key)
    {
        var (repository, digest) = Split(key);
        return $"/v2/{repository}/blobs/{digest}";
    }

    // A soak key is "<repository>@<digest>".
    private static (string Repository, string Digest) Split(string key)
    {
        var at = key.IndexOf('@', StringComparison.Ordinal);
        return (key[..at], key[(at + 1)..]);
    }

    private async Task CancelUploadAsync(Uri location, CancellationToken cancellationToken)
    {
        using var deleted = await _http.DeleteAsync(location, cancellationToken).ConfigureAwait(false);
        Expect(deleted, HttpStatusCode.NoContent, "cancel an upload");
    }

    private async Task<List<string>> UploadsAsync(string[] arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(_regstore, ["--config", _config, "-o", "json", .. arguments]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not run {_regstore}");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"regstore {string.Join(' ', arguments)} exited with {process.ExitCode}: {await error.ConfigureAwait(false)}");
        }

        // JSON Lines: one upload per line; its path names it.
        return [.. (await output.ConfigureAwait(false)).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => System.Text.Json.JsonDocument.Parse(line).RootElement.TryGetProperty("path", out var path) ? path.GetString() ?? line : line)];
    }

    private static void Expect(HttpResponseMessage response, HttpStatusCode expected, string what)
    {
        if (response.StatusCode != expected)
        {
            throw new HttpRequestException($"serve: {what}: {(int)response.StatusCode} {response.StatusCode}, expected {(int)expected}", null, response.StatusCode);
        }
    }

    private static async Task<Process> LaunchAsync(string regstore, string config, string logFolder, int port, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(regstore, ["serve", config]) { RedirectStandardOutput = true, RedirectStandardError = true };
        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not run {regstore}");
        var log = Path.Combine(logFolder, $"serve-process-{DateTime.UtcNow:HHmmss-fff}.log");
        _ = Task.Run(async () =>
        {
            await using var file = new StreamWriter(log);
            await Task.WhenAll(process.StandardOutput.BaseStream.CopyToAsync(file.BaseStream), process.StandardError.BaseStream.CopyToAsync(file.BaseStream)).ConfigureAwait(false);
        }, CancellationToken.None);
        using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        for (var i = 0; i < 240; i++)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"regstore serve exited with {process.ExitCode}; see {log}");
            }

            try
            {
                using var ping = await probe.GetAsync($"http://127.0.0.1:{port}/v2/", cancellationToken).ConfigureAwait(false);
                if (ping.IsSuccessStatusCode)
                {
                    return process;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                // not listening yet, or slow to answer under the soak's load
            }

            await Task.Delay(250, cancellationToken).ConfigureAwait(false);
        }

        process.Kill(entireProcessTree: true);
        throw new InvalidOperationException($"regstore serve did not answer /v2/ within 60 s; see {log}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>A response's body that disposes the response with it.</summary>
    private sealed class ResponseStream(HttpResponseMessage response, Stream inner) : Kit.ForwardOnlyReadStream
    {
        protected override ValueTask<int> ReadCoreAsync(Memory<byte> buffer, CancellationToken cancellationToken) => inner.ReadAsync(buffer, cancellationToken);

        protected override void Release()
        {
            inner.Dispose();
            response.Dispose();
        }
    }

    /// <summary>
    /// The first <paramref name="limit"/> bytes of a stream; then its end, or with <paramref name="walkAway"/>
    /// the client walking away mid-body (the source cancelled, the read failing).
    /// </summary>
    private sealed class LimitedStream(Stream inner, long limit, CancellationTokenSource? walkAway) : Kit.ForwardOnlyReadStream
    {
        private long _left = limit;

        protected override async ValueTask<int> ReadCoreAsync(Memory<byte> buffer, CancellationToken cancellationToken)
        {
            if (_left <= 0)
            {
                if (walkAway is null)
                {
                    return 0;
                }

                await walkAway.CancelAsync().ConfigureAwait(false);
                walkAway.Token.ThrowIfCancellationRequested();
            }

            var n = await inner.ReadAsync(buffer[..(int)Math.Min(buffer.Length, _left)], cancellationToken).ConfigureAwait(false);
            _left -= n;
            return n;
        }
    }
}
