using System.Text.Json.Nodes;
using Registry.Server.Layout;
using Registry.Server.Storage;
using Registry.Storage;

namespace Registry.Server.Manifests;

/// <summary>
/// The referrers API over the additive <c>_referrers/&lt;alg&gt;/&lt;hex&gt;/&lt;alg&gt;/&lt;hex&gt;/link</c>
/// entries written when a manifest with a <c>subject</c> is pushed.
/// </summary>
internal sealed class ReferrersService(IStorageDriver driver, ManifestService manifests)
{
    /// <summary>The descriptors of manifests referring to <paramref name="subject"/>, filtered by <paramref name="artifactType"/> when given.</summary>
    public async Task<JsonArray> ListAsync(string name, Digest subject, string? artifactType, CancellationToken cancellationToken)
    {
        var result = new JsonArray();
        var root = RegistryPaths.Referrers(name, subject);
        foreach (var algorithm in await Links.ListNamesAsync(driver, root, cancellationToken) ?? [])
        {
            foreach (var hex in await Links.ListNamesAsync(driver, root + "/" + algorithm, cancellationToken) ?? [])
            {
                if (!Digest.TryParse(algorithm + ":" + hex, out var digest, out _)
                    || await manifests.GetAsync(name, digest, cancellationToken) is not { } manifest)
                {
                    continue;
                }

                var type = manifest.Parsed.ArtifactType ?? manifest.Parsed.Config?.MediaType;
                if (artifactType is not null && type != artifactType)
                {
                    continue;
                }

                var descriptor = new JsonObject
                {
                    ["mediaType"] = manifest.Parsed.MediaType,
                    ["digest"] = digest.ToString(),
                    ["size"] = manifest.Content.Length,
                };
                if (type is not null)
                {
                    descriptor["artifactType"] = type;
                }

                if (manifest.Parsed.Annotations is { } annotations)
                {
                    descriptor["annotations"] = JsonNode.Parse(annotations.GetRawText());
                }

                result.Add(descriptor);
            }
        }

        return result;
    }
}
