using Microsoft.Extensions.Options;

namespace Registry.Storage.Hosting.DependencyInjection;

/// <summary>
/// Checks <see cref="RegistryStorageOptions"/> at start-up (with <c>ValidateOnStart</c>), so
/// a registry with a broken storage configuration stops before it serves a request, saying
/// what to fix. It never shows parameter values: they may be credentials.
/// </summary>
public sealed class RegistryStorageOptionsValidator : IValidateOptions<RegistryStorageOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, RegistryStorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>(options.ConfigurationErrors);
        if (string.IsNullOrWhiteSpace(options.Driver) && !options.ConfigurationErrors.Any(e => e.StartsWith("the storage section", StringComparison.Ordinal)))
        {
            failures.Add("no storage driver configured: set storage: { <driver>: { ... } } (e.g. filesystem, s3, azure) or RegistryStorageOptions.Driver");
        }

        var inProcess = options.Factories.Any(f => string.Equals(f.Name, options.Driver, StringComparison.OrdinalIgnoreCase)
            || f.Aliases.Contains(options.Driver ?? "", StringComparer.OrdinalIgnoreCase));
        if (!inProcess && !string.IsNullOrWhiteSpace(options.Driver) && !Directory.Exists(options.PluginsDirectory))
        {
            failures.Add($"the plugins directory {options.PluginsDirectory} does not exist, so driver '{options.Driver}' cannot be loaded: set {RegistryStorageOptions.PluginsDirectoryKey} or RegistryStorageOptions.PluginsDirectory");
        }

        failures.AddRange(options.Decorators.Problems().Select(p => "middleware " + p));
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
