using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Registry.Server.Tests.Clients;

/// <summary>Debian's <c>docker-registry</c> (Go distribution 2.8.2) on 127.0.0.1 over a filesystem root, for interop tests.</summary>
internal sealed class DistributionRegistry : IAsyncDisposable
{
    private readonly Process _process;

    private DistributionRegistry(Process process, string authority)
    {
        _process = process;
        Authority = authority;
    }

    public string Authority { get; }

    public static async Task<DistributionRegistry> StartAsync(string rootDirectory, string workDirectory)
    {
        var binary = ExternalTool.Require("docker-registry");
        var port = FreePort();
        var config = await WriteConfigAsync(rootDirectory, workDirectory, port);
        var start = new ProcessStartInfo(binary) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("serve");
        start.ArgumentList.Add(config);
        start.Environment.Remove("AWS_CA_BUNDLE"); // distribution 2.8.2 panics at start with it set (services.md)
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
    public static async Task<string> GarbageCollectAsync(string rootDirectory, string workDirectory, params string[] flags)
    {
        var binary = ExternalTool.Require("docker-registry");
        var config = await WriteConfigAsync(rootDirectory, workDirectory, FreePort());
        return await ExternalTool.RunOkAsync(binary, ["garbage-collect", config, .. flags]);
    }

    private static async Task<string> WriteConfigAsync(string rootDirectory, string workDirectory, int port)
    {
        var config = Path.Combine(workDirectory, "config.yml");
        await File.WriteAllTextAsync(config, $"""
            version: 0.1
            log:
              level: warn
            storage:
              filesystem:
                rootdirectory: {rootDirectory}
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
