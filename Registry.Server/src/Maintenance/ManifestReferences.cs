using System.Text.Json;
using Registry.Server.Layout;

namespace Registry.Server.Maintenance;

/// <summary>
/// What a stored manifest references, read tolerantly (any schema 2 / OCI manifest or index, and
/// schema 1's <c>fsLayers</c>, which distribution 2.8 still serves): the blobs it needs
/// (<c>config</c>, <c>layers</c>, schema 1 <c>blobSum</c>s), the manifests it lists
/// (<c>manifests</c>) and its <c>subject</c>. Unlike the push-time parser it accepts media
/// types it would refuse, so nothing a stored manifest points at is ever missed.
/// </summary>
internal sealed record ManifestReferences(IReadOnlyList<Digest> Blobs, IReadOnlyList<Digest> Manifests, Digest? Subject)
{
    /// <summary>Blobs listed with <c>urls</c> (foreign layers): marked, but a repository need not hold them.</summary>
    public IReadOnlySet<Digest> Foreign { get; init; } = new HashSet<Digest>();

    /// <summary>Reads <paramref name="content"/>; throws <see cref="InvalidDataException"/> naming <paramref name="what"/> when it is not a JSON manifest.</summary>
    public static ManifestReferences Parse(ReadOnlyMemory<byte> content, string what)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(content);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{what} is not a JSON manifest: {e.Message}", e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException($"{what} is not a JSON object");
            }

            var blobs = new List<Digest>();
            if (root.TryGetProperty("config", out var config))
            {
                Add(config, "digest", blobs);
            }

            AddAll(root, "layers", "digest", blobs);
            AddAll(root, "fsLayers", "blobSum", blobs);
            var manifests = new List<Digest>();
            AddAll(root, "manifests", "digest", manifests);
            var subject = new List<Digest>(1);
            if (root.TryGetProperty("subject", out var s))
            {
                Add(s, "digest", subject);
            }

            var foreign = new HashSet<Digest>();
            if (root.TryGetProperty("layers", out var layers) && layers.ValueKind == JsonValueKind.Array)
            {
                foreach (var layer in layers.EnumerateArray().Where(l => l.ValueKind == JsonValueKind.Object && l.TryGetProperty("urls", out var u) && u.ValueKind == JsonValueKind.Array && u.GetArrayLength() > 0))
                {
                    Add(layer, "digest", foreign);
                }
            }

            return new ManifestReferences(blobs, manifests, subject.Count > 0 ? subject[0] : null) { Foreign = foreign };
        }
    }

    private static void AddAll(JsonElement root, string property, string digestProperty, List<Digest> into)
    {
        if (root.TryGetProperty(property, out var array) && array.ValueKind == JsonValueKind.Array)
        {
            foreach (var element in array.EnumerateArray())
            {
                Add(element, digestProperty, into);
            }
        }
    }

    private static void Add(JsonElement descriptor, string digestProperty, ICollection<Digest> into)
    {
        if (descriptor.ValueKind != JsonValueKind.Object || !descriptor.TryGetProperty(digestProperty, out var d) || d.ValueKind != JsonValueKind.String)
        {
            return;
        }

        // A digest of another algorithm cannot name a blob this store holds (the blob scan does not
        // recognise, and so never sweeps, anything but sha256 and sha512).
        if (Digest.TryParse(d.GetString(), out var digest, out _))
        {
            into.Add(digest);
        }
    }
}
