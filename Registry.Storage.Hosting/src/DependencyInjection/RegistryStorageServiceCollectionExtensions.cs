using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Registry.Storage.Hosting.Configuration;
using Registry.Storage.Hosting.Plugins;

namespace Registry.Storage.Hosting.DependencyInjection;

/// <summary>
/// Registers the configured storage driver in a service collection, so an application resolves
/// <see cref="IStorageDriver"/> and gets the driver its configuration names, with its
/// decorators — made by <see cref="StorageHost"/>, the same path the CLI takes, and created
/// when the host starts, so a wrong driver name, parameter or plugin stops start-up.
/// </summary>
/// <example>
/// <code>
/// builder.Services.AddRegistryStorage(builder.Configuration);   // storage:, middleware:, plugins: sections
/// builder.Services.AddHealthChecks().AddRegistryStorageCheck();
/// app.MapGet("/blob", (IStorageDriver storage) => …);
/// </code>
/// </example>
public static class RegistryStorageServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="RegistryStorageOptions"/> from <paramref name="configuration"/>: the
    /// driver and parameters from <c>storage:</c> (and distribution's <c>REGISTRY_STORAGE*</c>
    /// variables when the configuration includes them), decorators from <c>middleware:</c>,
    /// plugin trust, pins and limits from <c>plugins:</c>, the plugins directory from <c>regstore:plugins</c>.
    /// </summary>
    public static IServiceCollection AddRegistryStorage(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return services.AddRegistryStorage(options => options.Configuration = configuration);
    }

    /// <summary>Registers the storage driver configured in code.</summary>
    public static IServiceCollection AddRegistryStorage(this IServiceCollection services, Action<RegistryStorageOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<RegistryStorageOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RegistryStorageOptions>, RegistryStorageOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<RegistryStorageOptions>>().Value;
            // Metrics go through the application's IMeterFactory when it has one (AddMetrics), so its
            // meter configuration and lifetime apply to the drivers' instruments too.
            return StorageHost.Create(options.ToHostOptions(), sp.GetService<ILoggerFactory>(), sp.GetRequiredService<TimeProvider>(), sp.GetService<System.Diagnostics.Metrics.IMeterFactory>());
        });
        services.TryAddSingleton(sp => sp.GetRequiredService<StorageHost>().Registry);
        services.TryAddSingleton<StorageDriverProvider>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, StorageDriverStartup>());
        services.TryAddSingleton(sp => sp.GetRequiredService<StorageDriverProvider>().Driver);
        return services;
    }

    /// <summary>Adds a driver compiled into the application (no plugin folder), e.g. <c>.AddRegistryStorageDriver&lt;S3DriverFactory&gt;()</c>.</summary>
    public static IServiceCollection AddRegistryStorageDriver<TFactory>(this IServiceCollection services)
        where TFactory : IStorageDriverFactory, new()
    {
        ArgumentNullException.ThrowIfNull(services);
        services.Configure<RegistryStorageOptions>(options => options.Factories.Add(new TFactory()));
        return services;
    }

    /// <summary>
    /// The storage health check, as distribution's <c>health: storagedriver</c>: a Stat of the
    /// root; unhealthy after <paramref name="threshold"/> failures in a row.
    /// </summary>
    public static IHealthChecksBuilder AddRegistryStorageCheck(this IHealthChecksBuilder builder, int threshold = 3, string name = "storagedriver")
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Add(new HealthCheckRegistration(name, sp => new StorageDriverHealthCheck(sp.GetRequiredService<IStorageDriver>(), threshold), HealthStatus.Unhealthy, ["storage"]));
    }
}

/// <summary>
/// Creates the configured driver once through <see cref="StorageHost"/>; the host's start
/// awaits it (<see cref="StorageDriverStartup"/>), and disposing the container disposes it.
/// </summary>
public sealed class StorageDriverProvider(IOptions<RegistryStorageOptions> options, StorageHost host) : IAsyncDisposable, IDisposable
{
    /// <inheritdoc />
    public void Dispose()
    {
        // A container disposed synchronously still releases the driver's clients.
        if (_driver.IsValueCreated && _driver.Value.IsCompletedSuccessfully)
        {
            _driver.Value.Result.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    private readonly Lazy<Task<ConfiguredDriver>> _driver = new(() => CreateAsync(options.Value, host));

    /// <summary>The configured driver with its decorators, created on first use.</summary>
    public Task<IStorageDriver> GetDriverAsync(CancellationToken cancellationToken) =>
        _driver.Value.ContinueWith(t => t.GetAwaiter().GetResult().Driver, cancellationToken, TaskContinuationOptions.None, TaskScheduler.Default);

    /// <summary>The driver; created at start-up by <see cref="StorageDriverStartup"/>, so this does not wait in a started host.</summary>
    public IStorageDriver Driver => _driver.Value.GetAwaiter().GetResult().Driver;

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_driver.IsValueCreated && _driver.Value.IsCompletedSuccessfully)
        {
            await _driver.Value.Result.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static async Task<ConfiguredDriver> CreateAsync(RegistryStorageOptions options, StorageHost host)
    {
        if (options.Configuration is { } configuration && options.Driver is null)
        {
            return await host.CreateDriverAsync(configuration, "configuration", CancellationToken.None).ConfigureAwait(false);
        }

        var name = options.Driver ?? throw new InvalidOperationException("no storage driver configured");
        return await host.CreateDriverAsync(new StorageSelection(name, new Dictionary<string, object?>(options.Parameters, StringComparer.OrdinalIgnoreCase)), options.Decorators, "code", CancellationToken.None).ConfigureAwait(false);
    }
}

/// <summary>Creates the driver when the application starts, so a broken storage configuration stops start-up with the CLI's message.</summary>
internal sealed class StorageDriverStartup(StorageDriverProvider provider, ILogger<StorageDriverStartup>? logger = null) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var driver = await provider.GetDriverAsync(cancellationToken).ConfigureAwait(false);
        var log = logger ?? (ILogger)NullLogger.Instance;
        if (log.IsEnabled(LogLevel.Information))
        {
            log.LogInformation("Storage driver {Driver} ready", driver.Name);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>distribution's storage-driver health check: Stat of the root, unhealthy after <c>threshold</c> failures in a row.</summary>
internal sealed class StorageDriverHealthCheck(IStorageDriver driver, int threshold) : IHealthCheck
{
    private int _failures;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await driver.StatAsync("/", cancellationToken).ConfigureAwait(false);
            Interlocked.Exchange(ref _failures, 0);
            return HealthCheckResult.Healthy($"{driver.Name}: stat / ok");
        }
        catch (Exception ex) when (ex is StorageDriverException or IOException or TimeoutException or HttpRequestException)
        {
            var failures = Interlocked.Increment(ref _failures);
            return failures >= threshold
                ? HealthCheckResult.Unhealthy($"{driver.Name}: stat / failed {failures} times in a row: {ex.Message}")
                : HealthCheckResult.Degraded($"{driver.Name}: stat / failed ({failures} of {threshold}): {ex.Message}");
        }
    }
}
