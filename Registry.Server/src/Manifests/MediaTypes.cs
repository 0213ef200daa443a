namespace Registry.Server.Manifests;

/// <summary>The manifest media types the registry stores and negotiates.</summary>
internal static class MediaTypes
{
    public const string OciManifest = "application/vnd.oci.image.manifest.v1+json";
    public const string OciIndex = "application/vnd.oci.image.index.v1+json";
    public const string DockerManifest = "application/vnd.docker.distribution.manifest.v2+json";
    public const string DockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json";
    public const string DockerSchema1 = "application/vnd.docker.distribution.manifest.v1+json";
    public const string DockerSchema1Signed = "application/vnd.docker.distribution.manifest.v1+prettyjws";

    /// <summary>Whether the type lists other manifests (index or manifest list).</summary>
    public static bool IsIndex(string mediaType) => mediaType is OciIndex or DockerManifestList;

    /// <summary>Whether the registry accepts manifests of this type.</summary>
    public static bool IsSupported(string mediaType) => mediaType is OciManifest or OciIndex or DockerManifest or DockerManifestList;
}
