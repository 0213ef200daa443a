using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Registry.Server.Api;
using Registry.Server.Auth;
using Registry.Server.Configuration;
using Registry.Server.Maintenance;
using Registry.Storage;

namespace Registry.Server;

/// <summary>Builds the registry: a Kestrel <see cref="WebApplication"/> serving the OCI distribution API over one storage driver.</summary>
public static class RegistryServerApplication
{
    /// <summary>
    /// Builds (does not start) the registry over <paramref name="driver"/>: listening on
    /// <c>http.addr</c> (or <paramref name="urlsOverride"/>, Kestrel URLs such as
    /// <c>http://127.0.0.1:0</c>), with TLS when <c>http.tls</c> is set, the upload purger when
    /// enabled, and <c>/debug/health</c>. The caller starts it (<c>RunAsync</c>/<c>StartAsync</c>)
    /// and disposes it; the driver stays the caller's to dispose.
    /// </summary>
    public static WebApplication Build(RegistryServerOptions options, IStorageDriver driver, ILoggerFactory? loggerFactory = null, string[]? urlsOverride = null) =>
        Build(options, driver, loggerFactory, urlsOverride, TimeProvider.System);

    internal static WebApplication Build(RegistryServerOptions options, IStorageDriver driver, ILoggerFactory? loggerFactory, string[]? urlsOverride, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(driver);
        if (options.Htpasswd is not null && options.Token is not null)
        {
            throw new FormatException("auth: configure one of htpasswd and token, not both");
        }

        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = "regstore-serve" });
        builder.Services.AddSingleton(loggerFactory ?? NullLoggerFactory.Instance);
        builder.Services.AddLogging();
        builder.Services.AddSingleton(time);
        builder.Services.AddSingleton(driver);
        builder.WebHost.UseKestrelCore();
        var certificate = LoadCertificate(options.Http);
        if (certificate is not null)
        {
            builder.WebHost.UseKestrelHttpsConfiguration();
        }

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = null; // blobs are unbounded; manifests are bounded by the endpoint
            if (urlsOverride is null)
            {
                Listen(kestrel, options.Http.Addr, certificate);
            }
            else if (certificate is not null)
            {
                kestrel.ConfigureHttpsDefaults(https => https.ServerCertificate = certificate);
            }
        });
        if (urlsOverride is not null)
        {
            builder.WebHost.UseUrls(urlsOverride);
        }

        if (options.UploadPurging.Enabled && !options.ReadOnly)
        {
            builder.Services.AddSingleton(options.UploadPurging);
            builder.Services.AddHostedService<UploadPurgingService>();
        }

        if (options.ScheduledGc.Enabled && !options.ReadOnly)
        {
            builder.Services.AddSingleton(options.ScheduledGc);
            builder.Services.AddHostedService<ScheduledGcService>();
        }

        var app = builder.Build();
        var logs = app.Services.GetRequiredService<ILoggerFactory>();
        var logger = logs.CreateLogger("Registry.Server");
        foreach (var warning in options.Warnings)
        {
            logger.LogWarning("{Warning}", warning);
        }

        IRegistryAuthenticator? authenticator = options.Htpasswd is { } htpasswd ? new HtpasswdAuthenticator(htpasswd)
            : options.Token is { } token ? new TokenAuthenticator(token)
            : null;
        var handler = new RegistryRequestHandler(new RegistryServices(options, driver, time), authenticator, logger);
        var requestLog = new RequestLog(logs.CreateLogger("Registry.Server.Requests"));
        var prefix = options.Http.Prefix == "/" ? string.Empty : options.Http.Prefix;

        app.Use(requestLog.InvokeAsync);
        if (options.MaxConcurrentRequestsPerClient is { } perClient)
        {
            var limit = new ClientConcurrencyLimit(perClient);
            app.Lifetime.ApplicationStopped.Register(() => limit.DisposeAsync().AsTask().GetAwaiter().GetResult());
            app.Use(limit.InvokeAsync);
        }

        app.Use((context, next) =>
        {
            foreach (var (name, values) in options.Http.Headers)
            {
                context.Response.Headers[name] = values.ToArray();
            }

            return next(context);
        });
        app.Run(context =>
        {
            var path = context.Request.Path.Value ?? string.Empty;
            if (path == HealthEndpoint.Path)
            {
                return HealthEndpoint.HandleAsync(context, driver, options.HealthCheckStorage);
            }

            if (prefix.Length > 0)
            {
                if (!path.StartsWith(prefix + "/", StringComparison.Ordinal))
                {
                    context.Response.StatusCode = StatusCodes.Status404NotFound;
                    return Task.CompletedTask;
                }

                context.Request.PathBase = context.Request.PathBase.Add(prefix);
                context.Request.Path = path[prefix.Length..];
            }

            return handler.HandleAsync(context);
        });
        return app;
    }

    private static X509Certificate2? LoadCertificate(HttpOptions http)
    {
        if (http.TlsCertificate is null)
        {
            return null;
        }

        if (http.TlsKey is null)
        {
            throw new FormatException("http.tls.key is required with http.tls.certificate");
        }

        return X509Certificate2.CreateFromPemFile(http.TlsCertificate, http.TlsKey);
    }

    private static void Listen(KestrelServerOptions kestrel, string addr, X509Certificate2? certificate)
    {
        var (address, localhost, port) = ListenAddress.Parse(addr);
        Action<Microsoft.AspNetCore.Server.Kestrel.Core.ListenOptions> configure = listen =>
        {
            if (certificate is not null)
            {
                listen.UseHttps(certificate);
            }
        };
        if (localhost)
        {
            kestrel.ListenLocalhost(port, configure);
        }
        else if (address is null)
        {
            kestrel.ListenAnyIP(port, configure);
        }
        else
        {
            kestrel.Listen(address, port, configure);
        }
    }
}
