using Microsoft.Extensions.Configuration;
using YamlDotNet.RepresentationModel;

namespace Registry.Storage.Hosting.Configuration;

/// <summary>Reads a YAML file (a registry's <c>config.yml</c>) into configuration keys, <c>storage:s3:bucket</c> style; sequences become <c>:0</c>, <c>:1</c>…</summary>
public sealed class YamlConfigurationProvider(YamlConfigurationSource source) : FileConfigurationProvider(source)
{
    /// <inheritdoc />
    public override void Load(Stream stream)
    {
        var data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var yaml = new YamlStream();
        using (var reader = new StreamReader(stream))
        {
            try
            {
                yaml.Load(reader);
            }
            catch (YamlDotNet.Core.YamlException ex)
            {
                throw new FormatException($"{Source.Path}: line {ex.Start.Line}, column {ex.Start.Column}: {ex.Message}", ex);
            }
        }

        if (yaml.Documents.Count > 0)
        {
            Flatten(yaml.Documents[0].RootNode, null, data);
        }

        Data = data;
    }

    private static void Flatten(YamlNode node, string? prefix, Dictionary<string, string?> data)
    {
        switch (node)
        {
            case YamlMappingNode { Children.Count: 0 } when prefix is not null:
                // `inmemory: {}` selects a driver with no parameters, exactly as `inmemory:` does.
                data[prefix] = "";
                break;
            case YamlMappingNode map:
                foreach (var (key, value) in map.Children)
                {
                    var name = ((YamlScalarNode)key).Value ?? "";
                    Flatten(value, prefix is null ? name : prefix + ConfigurationPath.KeyDelimiter + name, data);
                }

                break;
            case YamlSequenceNode sequence:
                for (var i = 0; i < sequence.Children.Count; i++)
                {
                    Flatten(sequence.Children[i], (prefix ?? "") + ConfigurationPath.KeyDelimiter + i, data);
                }

                break;
            case YamlScalarNode scalar when prefix is not null:
                // `key:` with nothing after it is an empty map in a registry config (`inmemory:`), not a value.
                data[prefix] = scalar.Value is null or "" or "~" or "null" && scalar.Style == YamlDotNet.Core.ScalarStyle.Plain ? "" : scalar.Value;
                break;
        }
    }
}

/// <summary>A YAML file as a configuration source.</summary>
public sealed class YamlConfigurationSource : FileConfigurationSource
{
    /// <inheritdoc />
    public override IConfigurationProvider Build(IConfigurationBuilder builder)
    {
        EnsureDefaults(builder);
        return new YamlConfigurationProvider(this);
    }
}
