namespace Registry.Server.Layout;

/// <summary>
/// distribution 2.8's storage layout (<c>registry/storage/paths.go</c>), byte for byte, plus one
/// additive directory distribution ignores (<c>_referrers</c>). Every argument has been validated
/// (<see cref="ReferenceGrammar"/>, <see cref="Digest"/>) before it reaches here.
/// </summary>
internal static class RegistryPaths
{
    /// <summary><c>/docker/registry/v2</c>: everything the registry stores is below it.</summary>
    public const string Root = "/docker/registry/v2";

    /// <summary>The repositories root.</summary>
    public const string Repositories = Root + "/repositories";

    /// <summary>The blob store root.</summary>
    public const string Blobs = Root + "/blobs";

    public static string Repository(string name) => $"{Repositories}/{name}";

    public static string BlobDirectory(Digest digest) => $"{Blobs}/{digest.Algorithm}/{digest.Hex[..2]}/{digest.Hex}";

    public static string BlobData(Digest digest) => BlobDirectory(digest) + "/data";

    public static string LayerLink(string name, Digest digest) => $"{Repository(name)}/_layers/{digest.Algorithm}/{digest.Hex}/link";

    public static string LayerDirectory(string name, Digest digest) => $"{Repository(name)}/_layers/{digest.Algorithm}/{digest.Hex}";

    public static string ManifestRevisions(string name) => $"{Repository(name)}/_manifests/revisions";

    public static string ManifestRevisionDirectory(string name, Digest digest) => $"{ManifestRevisions(name)}/{digest.Algorithm}/{digest.Hex}";

    public static string ManifestRevisionLink(string name, Digest digest) => ManifestRevisionDirectory(name, digest) + "/link";

    public static string Tags(string name) => $"{Repository(name)}/_manifests/tags";

    public static string Tag(string name, string tag) => $"{Tags(name)}/{tag}";

    public static string TagCurrentLink(string name, string tag) => Tag(name, tag) + "/current/link";

    public static string TagIndex(string name, string tag) => Tag(name, tag) + "/index";

    public static string TagIndexEntryLink(string name, string tag, Digest digest) => $"{TagIndex(name, tag)}/{digest.Algorithm}/{digest.Hex}/link";

    public static string Uploads(string name) => $"{Repository(name)}/_uploads";

    public static string Upload(string name, string id) => $"{Uploads(name)}/{id}";

    public static string UploadData(string name, string id) => Upload(name, id) + "/data";

    public static string UploadStartedAt(string name, string id) => Upload(name, id) + "/startedat";

    /// <summary>
    /// Additive: the digest of an upload's first <paramref name="offset"/> bytes, written by the
    /// request that streamed all of them (distribution ignores it; purging removes it with the upload).
    /// </summary>
    public static string UploadDigest(string name, string id, string algorithm, long offset) =>
        $"{Upload(name, id)}/regstore-digests/{algorithm}/{offset.ToString(System.Globalization.CultureInfo.InvariantCulture)}";

    /// <summary>Additive (distribution has no referrers): one link per manifest whose <c>subject</c> is <paramref name="subject"/>.</summary>
    public static string Referrers(string name, Digest subject) => $"{Repository(name)}/_referrers/{subject.Algorithm}/{subject.Hex}";

    public static string ReferrerLink(string name, Digest subject, Digest referrer) =>
        $"{Referrers(name, subject)}/{referrer.Algorithm}/{referrer.Hex}/link";
}
