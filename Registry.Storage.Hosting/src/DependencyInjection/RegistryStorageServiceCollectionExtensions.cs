using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Registry.Storage.Hosting.Configuration;
using Registry.Storage.Hosting.Decorators;
using Registry.Storage.Hosting.Plugins;

namespace Registry.Storage.Hosting.DependencyInjection;

/// <summary>
/// Registers the configured storage driver in a service collection, so an ASP.NET registry
/// resolves <see cref="IStorageDriver"/> and gets the driver its configuration names, with
/// its decorators, validated at start-up.
/// </summary>
/// <example>
/// <code>
/// builder.Services.AddRegistryStorage(builder.Configuration);   // storage: / middleware: sections
/// app.MapGet("/v2/", (IStorageDriver storage) => …);
/// </code>
/// </example>
public static class RegistryStorageServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="RegistryStorageOptions"/> from <paramref name="configuration"/>: the
    /// driver and parameters from <c>storage:</c>, decorators from <c>middleware:storage</c>
    /// (and <c>storage:middleware</c>), the plugins directory from <c>regstore:plugins</c>.
    /// </summary>
    public static IServiceCollection AddRegistryStorage(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return services.AddRegistryStorage(options => Bind(options, configuration));
    }

    /// <summary>Registers the storage driver configured in code.</summary>
    public static IServiceCollection AddRegistryStorage(this IServiceCollection services, Action<RegistryStorageOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<RegistryStorageOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RegistryStorageOptions>, RegistryStorageOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);

        // Plugins are loaded once per container, when the registry is first needed.
        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<RegistryStorageOptions>>().Value;
            var loggerFactory = sp.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance;
            var registry = new DriverRegistry();
            foreach (var factory in options.Factories)
            {
                registry.Register(factory, "in-process");
            }

            if (Directory.Exists(options.PluginsDirectory))
            {
                new PluginScanner(loggerFactory.CreateLogger<PluginScanner>()).LoadAll(options.PluginsDirectory, registry);
            }

            return registry;
        });
        services.TryAddSingleton<StorageDriverProvider>();
        services.TryAddSingleton(sp => sp.GetRequiredService<StorageDriverProvider>().GetDriverAsync(CancellationToken.None).GetAwaiter().GetResult());
        return services;
    }

    private static void Bind(RegistryStorageOptions options, IConfiguration configuration)
    {
        if (configuration[RegistryStorageOptions.PluginsDirectoryKey] is { Length: > 0 } plugins)
        {
            options.PluginsDirectory = Path.GetFullPath(plugins);
        }

        try
        {
            if (StorageConfiguration.Select(configuration) is { } selection)
            {
                options.Driver = selection.DriverName;
                foreach (var (key, value) in selection.Parameters)
                {
                    options.Parameters[key] = value;
                }
            }
        }
        catch (InvalidOperationException ex)
        {
            options.ConfigurationErrors.Add(ex.Message);
        }

        try
        {
            options.Decorators = MiddlewareConfiguration.Read(configuration);
        }
        catch (StorageDriverException ex)
        {
            options.ConfigurationErrors.Add(ex.Message);
        }
        catch (InvalidOperationException ex)
        {
            options.ConfigurationErrors.Add(ex.Message);
        }
    }
}

/// <summary>
/// Creates the configured driver once, on first use, and hands out the same instance:
/// resolve it to create the driver asynchronously (the <see cref="IStorageDriver"/>
/// registration waits on it).
/// </summary>
public sealed class StorageDriverProvider(IOptions<RegistryStorageOptions> options, DriverRegistry registry, TimeProvider timeProvider, ILoggerFactory? loggerFactory = null)
{
    private readonly Lazy<Task<IStorageDriver>> _driver = new(() => CreateAsync(options.Value, registry, timeProvider, loggerFactory ?? NullLoggerFactory.Instance));

    /// <summary>The configured driver with its decorators.</summary>
    /// <exception cref="InvalidStorageDriverException">No plugin or in-process factory provides the driver; the message lists what does.</exception>
    public Task<IStorageDriver> GetDriverAsync(CancellationToken cancellationToken) => _driver.Value.WaitAsync(cancellationToken);

    private static async Task<IStorageDriver> CreateAsync(RegistryStorageOptions options, DriverRegistry registry, TimeProvider timeProvider, ILoggerFactory loggerFactory)
    {
        var name = options.Driver ?? throw new InvalidOperationException("no storage driver configured");
        var factory = registry.Find(name) ?? throw new InvalidStorageDriverException(name, registry.Names);
        var parameters = new DriverParameters(factory.Name, options.Parameters, factory.Parameters.Where(p => p.Secret).Select(p => p.Name)) { TimeProvider = timeProvider };
        var driver = await registry.CreateAsync(name, parameters).ConfigureAwait(false);
        return StorageDecorators.Apply(driver, options.Decorators, loggerFactory, timeProvider);
    }
}
