using System.Collections;
using Microsoft.Extensions.Configuration;

namespace Registry.Server.Configuration;

/// <summary>
/// distribution's environment overrides: <c>REGISTRY_STORAGE_DELETE_ENABLED=true</c> sets
/// <c>storage.delete.enabled</c> — the variable without <c>REGISTRY_</c>, lower-cased, each
/// <c>_</c> a level. distribution's keys contain no underscore, so the mapping is unambiguous.
/// </summary>
public static class DistributionEnvironment
{
    /// <summary>The prefix distribution reads.</summary>
    public const string Prefix = "REGISTRY_";

    /// <summary>Adds the <c>REGISTRY_*</c> variables of <paramref name="environment"/> (the process's when null) as configuration keys; add it after the file so it wins.</summary>
    public static IConfigurationBuilder AddDistributionEnvironmentVariables(this IConfigurationBuilder builder, IDictionary? environment = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddInMemoryCollection(Map(environment ?? Environment.GetEnvironmentVariables()));
    }

    /// <summary>The configuration keys and values the variables stand for.</summary>
    public static IEnumerable<KeyValuePair<string, string?>> Map(IDictionary environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        foreach (DictionaryEntry entry in environment)
        {
            if (entry.Key is string name && name.StartsWith(Prefix, StringComparison.Ordinal) && name.Length > Prefix.Length)
            {
                yield return new(name[Prefix.Length..].ToLowerInvariant().Replace('_', ':'), entry.Value as string);
            }
        }
    }
}
