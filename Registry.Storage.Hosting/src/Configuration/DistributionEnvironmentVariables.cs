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

    private sealed class Provider(IDictionary? variables) : ConfigurationProvider
    {
        public override void Load()
        {
            var data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            foreach (DictionaryEntry entry in variables ?? Environment.GetEnvironmentVariables())
            {
                if (entry.Key is string name && name.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) && name.Length > Prefix.Length)
                {
                    data[name[Prefix.Length..].ToLowerInvariant().Replace('_', ':')] = entry.Value as string;
                }
            }

            Data = data;
        }
    }
}
