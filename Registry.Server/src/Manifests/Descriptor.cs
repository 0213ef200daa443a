namespace Registry.Server.Manifests;

/// <summary>A content descriptor as a manifest lists it.</summary>
internal sealed record Descriptor(string? MediaType, Layout.Digest Digest, long Size)
{
    public string? ArtifactType { get; init; }

    public bool HasUrls { get; init; }
}
