using System.CommandLine;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Registry.Server;
using Registry.Server.Configuration;

namespace Registry.Storage.Host.Cli;

/// <summary>
/// <c>regstore serve [config.yml]</c>: the OCI distribution registry over the configured driver,
/// reading distribution's <c>config.yml</c> (storage, http, auth, maintenance, health) — the same
/// file <c>registry serve</c> takes. Without configuration: the filesystem driver under <c>./data</c>
/// on 127.0.0.1:5000. Serves until Ctrl-C or SIGTERM, then finishes the requests in flight.
/// </summary>
internal static class ServeCommand
{
    /// <summary>Where the registry listens when no configuration says otherwise: this machine only.</summary>
    public const string DefaultAddress = "127.0.0.1:5000";

    public static Command Create()
    {
        var file = new Argument<string?>("config") { Description = "distribution's config.yml (same as --config).", DefaultValueFactory = _ => null };
        var addr = new Option<string?>("--addr") { Description = $"Listen address, overriding http.addr (default {DefaultAddress} without configuration, else http.addr)." };
        var command = new Command("serve", "Serve the OCI distribution API (a registry) over the configured driver, in distribution's storage layout. Example: regstore serve config.yml, then skopeo copy oci:image:tag docker://127.0.0.1:5000/name:tag --dest-tls-verify=false") { file, addr };
        command.SetAction((result, ct) =>
        {
            var positional = result.GetValue(file);
            return RegstoreCli.WithSessionAsync(result, positional, async session =>
            {
                var options = RegistryServerOptions.FromConfiguration(session.Configuration);
                var address = result.GetValue(addr) ?? (session.Configuration["http:addr"] is { Length: > 0 } ? null : DefaultAddress);
                if (address is not null)
                {
                    options = options with { Http = options.Http with { Addr = address } };
                }

                foreach (var warning in options.Warnings)
                {
                    await Console.Error.WriteLineAsync("regstore serve: warning: " + warning).ConfigureAwait(false);
                }

                await using var configured = await session.CreateConfiguredDriverAsync(ct).ConfigureAwait(false);
                var app = RegistryServerApplication.Build(options, configured.Driver, session.LoggerFactory);
                await using (app.ConfigureAwait(false))
                {
                    await app.StartAsync(ct).ConfigureAwait(false);
                    var urls = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
                    var url = urls.FirstOrDefault() ?? "http://" + options.Http.Addr;
                    var hostPort = new Uri(url.Replace("://[::]", "://127.0.0.1", StringComparison.Ordinal).Replace("://0.0.0.0", "://127.0.0.1", StringComparison.Ordinal)).Authority;
                    var tls = url.StartsWith("https", StringComparison.Ordinal);
                    await Console.Error.WriteLineAsync($"""
                        regstore serve: registry listening on {string.Join(", ", urls)} — driver {configured.Driver.Name} ({configured.Source}); Ctrl-C stops it
                          push: skopeo copy oci:<image-dir>:<tag> docker://{hostPort}/<name>:<tag>{(tls ? "" : " --dest-tls-verify=false")}
                          pull: skopeo copy docker://{hostPort}/<name>:<tag> oci:<dir>:<tag>{(tls ? "" : " --src-tls-verify=false")}
                          docker: docker push {hostPort}/<name>:<tag> (localhost registries need no TLS)
                        """).ConfigureAwait(false);
                    try
                    {
                        await Task.Delay(Timeout.Infinite, ct).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                        await Console.Error.WriteLineAsync("regstore serve: stopping; finishing the requests in flight").ConfigureAwait(false);
                    }

                    await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
                }

                return RegstoreCli.ExitOk;
            }, ct);
        });
        return command;
    }
}
