using System.Collections;
using Microsoft.Extensions.Configuration;

namespace Registry.Storage.Hosting.Configuration;

/// <summary>
/// distribution's own environment overrides, as docker-compose and Kubernetes set-ups of a
/// registry use them: <c>REGISTRY_STORAGE=s3</c> selects the driver and
/// <c>REGISTRY_STORAGE_S3_BUCKET=b</c> sets its <c>bucket</c>; every <c>_</c> after the prefix
/// separates one level (<c>REGISTRY_HTTP_ADDR</c> → <c>http:addr</c>), as distribution reads them.
/// </summary>
public sealed class DistributionEnvironmentVariablesSource : IConfigurationSource
{
    /// <summary>The prefix distribution reads.</summary>
    public const string Prefix = "REGISTRY_";

    /// <summary>The variables to read; the process environment when null (tests pass their own).</summary>
    public IDictionary? Variables { get; init; }

    /// <inheritdoc />
    public IConfigurationProvider Build(IConfigurationBuilder builder) => new Provider(Variables);

    // The one mapping, shared by the configuration provider and anyone reading the variables directly.
    internal static Dictionary<string, string?> Map(IDictionary variables)
    {
        var data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (DictionaryEntry entry in variables)
        {
            if (entry.Key is string name && name.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) && name.Length > Prefix.Length)
            {
                data[name[Prefix.Length..].ToLowerInvariant().Replace('_', ':')] = entry.Value as string;
            }
        }

        return data;
    }

    private sealed class Provider(IDictionary? variables) : ConfigurationProvider
    {
        public override void Load() => Data = Map(variables ?? Environment.GetEnvironmentVariables());
    }
}

/// <summary>Adds distribution's <c>REGISTRY_*</c> environment overrides to a configuration.</summary>
public static class DistributionEnvironmentVariablesExtensions
{
    /// <summary>
    /// Adds the <c>REGISTRY_*</c> variables of <paramref name="variables"/> (the process's when null) as
    /// configuration keys (<c>REGISTRY_STORAGE_DELETE_ENABLED</c> → <c>storage:delete:enabled</c>); add it
    /// after the configuration file so the variables win, as in distribution.
    /// </summary>
    public static IConfigurationBuilder AddDistributionEnvironmentVariables(this IConfigurationBuilder builder, IDictionary? variables = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Add(new DistributionEnvironmentVariablesSource { Variables = variables });
    }
}
