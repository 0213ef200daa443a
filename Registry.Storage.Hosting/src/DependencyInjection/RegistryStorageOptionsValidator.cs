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
                _ = StorageConfiguration.Select(configuration);
                _ = MiddlewareConfiguration.Read(configuration);
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

        failures.AddRange(options.Decorators.Problems().Select(p => "middleware " + p));
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
