using System.Text.Json;
using Registry.Server.Api;
using Registry.Server.Layout;

namespace Registry.Server.Manifests;

/// <summary>What the registry needs to know about a manifest: its type, what it references, its subject.</summary>
internal sealed record ParsedManifest(string MediaType)
{
    public Descriptor? Config { get; init; }

    public IReadOnlyList<Descriptor> Layers { get; init; } = [];

    public IReadOnlyList<Descriptor> Manifests { get; init; } = [];

    public Descriptor? Subject { get; init; }

    public string? ArtifactType { get; init; }

    public JsonElement? Annotations { get; init; }

    /// <summary>
    /// Parses <paramref name="content"/>, sent as <paramref name="contentType"/> (may be null).
    /// Throws MANIFEST_INVALID for anything that is not a schema-2 manifest, index or list.
    /// </summary>
    public static ParsedManifest Parse(ReadOnlyMemory<byte> content, string? contentType)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(content);
        }
        catch (JsonException e)
        {
            throw Invalid($"not JSON: {e.Message}");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Invalid("a manifest is a JSON object");
            }

            var declared = root.TryGetProperty("mediaType", out var mt) && mt.ValueKind == JsonValueKind.String ? mt.GetString() : null;
            var schemaVersion = root.TryGetProperty("schemaVersion", out var sv) && sv.ValueKind == JsonValueKind.Number && sv.TryGetInt32(out var v) ? v : 0;
            var header = NormaliseContentType(contentType);
            if (schemaVersion == 1 || declared is MediaTypes.DockerSchema1 or MediaTypes.DockerSchema1Signed
                || header is MediaTypes.DockerSchema1 or MediaTypes.DockerSchema1Signed)
            {
                throw Invalid("schema 1 manifests are not supported; push a schema 2 or OCI manifest");
            }

            if (schemaVersion != 2)
            {
                throw Invalid("schemaVersion must be 2");
            }

            if (declared is not null && header is not null && header != "application/json" && declared != header)
            {
                throw Invalid($"Content-Type {header} does not match the manifest's mediaType {declared}");
            }

            var mediaType = declared ?? (header is not null && header != "application/json" ? header : Infer(root));
            if (!MediaTypes.IsSupported(mediaType))
            {
                throw Invalid($"media type {mediaType} is not supported");
            }

            return FromRoot(root, mediaType);
        }
    }

    /// <summary>Reads a stored manifest back (already validated at push time).</summary>
    public static ParsedManifest ParseStored(ReadOnlyMemory<byte> content)
    {
        using var document = JsonDocument.Parse(content);
        var root = document.RootElement;
        var declared = root.TryGetProperty("mediaType", out var mt) && mt.ValueKind == JsonValueKind.String ? mt.GetString() : null;
        return FromRoot(root, declared ?? Infer(root));
    }

    private static ParsedManifest FromRoot(JsonElement root, string mediaType)
    {
        var isIndex = MediaTypes.IsIndex(mediaType);
        Descriptor? config = null;
        if (!isIndex)
        {
            if (!root.TryGetProperty("config", out var configElement))
            {
                throw Invalid("an image manifest needs a config");
            }

            config = ReadDescriptor(configElement, "config");
        }

        return new ParsedManifest(mediaType)
        {
            Config = config,
            Layers = isIndex ? [] : ReadArray(root, "layers", required: true),
            Manifests = isIndex ? ReadArray(root, "manifests", required: true) : [],
            Subject = root.TryGetProperty("subject", out var subject) && subject.ValueKind == JsonValueKind.Object ? ReadDescriptor(subject, "subject") : null,
            ArtifactType = root.TryGetProperty("artifactType", out var at) && at.ValueKind == JsonValueKind.String ? at.GetString() : null,
            Annotations = root.TryGetProperty("annotations", out var an) && an.ValueKind == JsonValueKind.Object ? an.Clone() : null,
        };
    }

    private static string Infer(JsonElement root) =>
        root.TryGetProperty("manifests", out _) ? MediaTypes.OciIndex : MediaTypes.OciManifest;

    private static List<Descriptor> ReadArray(JsonElement root, string property, bool required)
    {
        if (!root.TryGetProperty(property, out var array) || array.ValueKind != JsonValueKind.Array)
        {
            return required ? throw Invalid($"'{property}' must be an array") : [];
        }

        return array.EnumerateArray().Select((e, i) => ReadDescriptor(e, $"{property}[{i}]")).ToList();
    }

    private static Descriptor ReadDescriptor(JsonElement element, string where)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Invalid($"{where} is not a descriptor");
        }

        var digestText = element.TryGetProperty("digest", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
        if (!Digest.TryParse(digestText, out var digest, out var error))
        {
            throw Invalid($"{where}: {error}");
        }

        var size = element.TryGetProperty("size", out var s) && s.ValueKind == JsonValueKind.Number && s.TryGetInt64(out var n) ? n : -1;
        if (size < 0)
        {
            throw Invalid($"{where}: size must be a non-negative integer");
        }

        return new Descriptor(element.TryGetProperty("mediaType", out var mt) && mt.ValueKind == JsonValueKind.String ? mt.GetString() : null, digest, size)
        {
            ArtifactType = element.TryGetProperty("artifactType", out var at) && at.ValueKind == JsonValueKind.String ? at.GetString() : null,
            HasUrls = element.TryGetProperty("urls", out var urls) && urls.ValueKind == JsonValueKind.Array && urls.GetArrayLength() > 0,
        };
    }

    private static string? NormaliseContentType(string? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType))
        {
            return null;
        }

        var semicolon = contentType.IndexOf(';', StringComparison.Ordinal);
        return (semicolon >= 0 ? contentType[..semicolon] : contentType).Trim().ToLowerInvariant();
    }

    private static RegistryException Invalid(string detail) => new(ErrorCode.ManifestInvalid, detail);
}
