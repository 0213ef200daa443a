using Microsoft.Extensions.Options;
using Registry.Storage.Hosting.Configuration;

namespace Registry.Storage.Hosting.DependencyInjection;

/// <summary>
/// Checks <see cref="RegistryStorageOptions"/> at start-up (with <c>ValidateOnStart</c>) for what
/// can be told without loading a plugin: a configuration that selects one driver (or a driver
/// named in code), readable middleware. Creating the driver — plugin, parameters, backend — is
/// checked right after by the hosted start-up. It never shows parameter values: they may be credentials.
/// </summary>
public sealed class RegistryStorageOptionsValidator : IValidateOptions<RegistryStorageOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, RegistryStorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.Configuration is { } configuration)
        {
            try
            {
                _ = MiddlewareConfiguration.Read(configuration);
            }
            catch (Exception ex) when (ex is InvalidOperationException or StorageDriverException)
            {
                failures.Add(ex.Message);
            }

            try
            {
                // An application gets no silent default: without a storage section it does not start.
                var selection = StorageConfiguration.Select(configuration);
                if (selection is null)
                {
                    failures.Add("no storage driver configured: set storage: { <driver>: { ... } } (e.g. filesystem, s3, azure) or RegistryStorageOptions.Driver");
                }
                else
                {
                    CheckPluginsDirectory(options, selection.DriverName, configuration[RegistryStorageOptions.PluginsDirectoryKey], failures);
                }
            }
            catch (Exception ex) when (ex is InvalidOperationException or StorageDriverException)
            {
                failures.Add(ex.Message);
            }
        }
        else if (string.IsNullOrWhiteSpace(options.Driver))
        {
            failures.Add("no storage driver configured: pass the configuration (storage: { <driver>: { ... } }) or set RegistryStorageOptions.Driver");
        }
        else
        {
            CheckPluginsDirectory(options, options.Driver, null, failures);
        }

        failures.AddRange(options.Decorators.Problems().Select(p => "middleware " + p));
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckPluginsDirectory(RegistryStorageOptions options, string driver, string? configured, List<string> failures)
    {
        var inProcess = options.Factories.Any(f => string.Equals(f.Name, driver, StringComparison.OrdinalIgnoreCase) || f.Aliases.Contains(driver, StringComparer.OrdinalIgnoreCase));
        var directory = options.PluginsDirectory ?? (configured is { Length: > 0 } ? configured : HostDefaults.PluginsDirectory);
        if (!inProcess && !Directory.Exists(directory))
        {
            failures.Add($"the plugins directory {directory} does not exist, so driver '{driver}' cannot be loaded: set {RegistryStorageOptions.PluginsDirectoryKey} or RegistryStorageOptions.PluginsDirectory");
        }
    }
}
