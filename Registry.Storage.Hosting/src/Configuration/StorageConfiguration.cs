using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Registry.Storage.Hosting.Configuration;

/// <summary>The driver a configuration selects and its raw parameters.</summary>
/// <param name="DriverName">The <c>storage:</c> key that names a driver.</param>
/// <param name="Parameters">Its parameters: strings, nested maps and lists, as configuration gives them.</param>
public sealed record StorageSelection(string DriverName, IReadOnlyDictionary<string, object?> Parameters);

/// <summary>
/// Reads the host's configuration: a YAML or JSON file, then distribution's <c>REGISTRY_</c>
/// environment variables (<c>REGISTRY_STORAGE=s3</c>, <c>REGISTRY_STORAGE_S3_BUCKET</c>), then
/// <c>REGSTORE_</c> ones (<c>REGSTORE_STORAGE__S3__BUCKET</c>), then command-line overrides
/// (<c>--storage:s3:bucket=x</c>). The storage section has distribution's shape, so a
/// registry's <c>config.yml</c> works unchanged.
/// </summary>
public static class StorageConfiguration
{
    /// <summary>Keys of distribution's <c>storage:</c> section that configure the registry, not a driver.</summary>
    public static readonly IReadOnlySet<string> NonDriverKeys =
        new HashSet<string>(["cache", "delete", "maintenance", "redirect", "tag", "middleware"], StringComparer.OrdinalIgnoreCase);

    /// <summary>Builds configuration from an optional file, the environment and overrides.</summary>
    public static IConfigurationRoot Build(string? configFile, IEnumerable<string>? commandLineOverrides = null)
    {
        var builder = new ConfigurationBuilder();
        if (configFile is not null)
        {
            var full = Path.GetFullPath(configFile);
            if (!File.Exists(full))
            {
                throw new FileNotFoundException($"configuration file {full} does not exist", full);
            }

            if (full.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
            {
                builder.AddJsonFile(full, optional: false, reloadOnChange: false);
            }
            else
            {
                var yaml = new YamlConfigurationSource { Path = full, Optional = false, ReloadOnChange = false };
                yaml.ResolveFileProvider(); // an absolute path needs a provider rooted at its folder
                builder.Add(yaml);
            }
        }

        builder.Add(new DistributionEnvironmentVariablesSource());
        builder.AddEnvironmentVariables("REGSTORE_");
        if (commandLineOverrides is not null)
        {
            builder.AddCommandLine(commandLineOverrides.ToArray());
        }

        return builder.Build();
    }

    /// <summary>The driver the <c>storage</c> section selects, or <see langword="null"/> when there is no storage section.</summary>
    /// <exception cref="InvalidOperationException">The section names no driver or more than one.</exception>
    public static StorageSelection? Select(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var storage = configuration.GetSection("storage");
        if (!storage.Exists())
        {
            return null;
        }

        // distribution's REGISTRY_STORAGE=<driver> names the driver outright; its parameters are storage:<driver>.
        if (storage.Value is { Length: > 0 } named)
        {
            return new StorageSelection(named.ToLowerInvariant(), ToMap(storage.GetSection(named)));
        }

        var drivers = storage.GetChildren().Where(c => !NonDriverKeys.Contains(c.Key)).ToArray();
        return drivers.Length switch
        {
            1 => new StorageSelection(drivers[0].Key.ToLowerInvariant(), ToMap(drivers[0])),
            0 => throw new InvalidOperationException("the storage section names no driver: expected one key such as filesystem, s3 or azure"),
            _ => throw new InvalidOperationException($"the storage section names more than one driver ({string.Join(", ", drivers.Select(d => d.Key))}): expected exactly one"),
        };
    }

    /// <summary>A configuration section as nested maps and lists.</summary>
    public static IReadOnlyDictionary<string, object?> ToMap(IConfigurationSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        var map = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
        foreach (var child in section.GetChildren())
        {
            map[child.Key] = ToValue(child);
        }

        return map;
    }

    private static object? ToValue(IConfigurationSection section)
    {
        var children = section.GetChildren().ToArray();
        if (children.Length == 0)
        {
            return section.Value;
        }

        if (children.All(c => int.TryParse(c.Key, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
        {
            return children.OrderBy(c => int.Parse(c.Key, CultureInfo.InvariantCulture)).Select(ToValue).ToList();
        }

        return ToMap(section);
    }
}
