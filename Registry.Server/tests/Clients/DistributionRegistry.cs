using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Registry.Server.Tests.Infrastructure;

namespace Registry.Server.Tests.Clients;

/// <summary>Debian's <c>docker-registry</c> (Go distribution 2.8.2) on 127.0.0.1 over a filesystem root or an s3 prefix (<see cref="TestBackend"/>), for interop tests.</summary>
internal sealed class DistributionRegistry : IAsyncDisposable
{
    /// <summary>distribution 2.8.2's s3-aws driver panics at start with this variable set (services.md).</summary>
    private const string BreaksS3 = "AWS_CA_BUNDLE";

    private readonly Process _process;

    private DistributionRegistry(Process process, string authority)
    {
        _process = process;
        Authority = authority;
    }

    public string Authority { get; }

    public static Task<DistributionRegistry> StartAsync(string rootDirectory, string workDirectory) =>
        StartAsync(TestBackend.Filesystem(rootDirectory), workDirectory);

    public static async Task<DistributionRegistry> StartAsync(TestBackend storage, string workDirectory)
    {
        var binary = ExternalTool.Require("docker-registry");
        var port = FreePort();
        var config = await WriteConfigAsync(storage, workDirectory, port);
        var start = new ProcessStartInfo(binary) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("serve");
        start.ArgumentList.Add(config);
        start.Environment.Remove(BreaksS3);
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var registry = new DistributionRegistry(process, $"127.0.0.1:{port}");
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        for (var i = 0; i < 100; i++)
        {
            if (process.HasExited)
            {
                Assert.Fail($"docker-registry exited with {process.ExitCode}");
            }

            try
            {
                using var response = await client.GetAsync($"http://{registry.Authority}/v2/");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return registry;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100);
        }

        await registry.DisposeAsync();
        Assert.Fail("docker-registry did not answer /v2/ within 10 s");
        return registry;
    }

    /// <summary>Runs <c>docker-registry garbage-collect</c> over the root and returns its output.</summary>
    public static Task<string> GarbageCollectAsync(string rootDirectory, string workDirectory, params string[] flags) =>
        GarbageCollectAsync(TestBackend.Filesystem(rootDirectory), workDirectory, flags);

    /// <summary>Runs <c>docker-registry garbage-collect</c> over the tree and returns its output.</summary>
    public static async Task<string> GarbageCollectAsync(TestBackend storage, string workDirectory, params string[] flags)
    {
        var binary = ExternalTool.Require("docker-registry");
        var config = await WriteConfigAsync(storage, workDirectory, FreePort());
        var (code, output) = await ExternalTool.RunAsync(binary, ["garbage-collect", config, .. flags], unset: [BreaksS3]);
        code.ShouldBe(0, $"docker-registry garbage-collect {string.Join(' ', flags)} on {storage.Name}\n{output}");
        return output;
    }

    private static async Task<string> WriteConfigAsync(TestBackend storage, string workDirectory, int port)
    {
        var config = Path.Combine(workDirectory, "config.yml");
        await File.WriteAllTextAsync(config, $"""
            version: 0.1
            log:
              level: warn
            storage:
            {storage.DistributionStorage}
              delete:
                enabled: true
            http:
              addr: 127.0.0.1:{port}
            """);
        return config;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
