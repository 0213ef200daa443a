using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;

namespace Registry.Server.Tests.Maintenance;

/// <summary>An OCI image layout with any number of images, shared layers and multi-arch indexes, for skopeo to push from.</summary>
internal sealed class OciLayoutBuilder
{
    private readonly List<object> _references = [];

    public OciLayoutBuilder(string directory)
    {
        Directory = directory;
        System.IO.Directory.CreateDirectory(System.IO.Path.Combine(directory, "blobs", "sha256"));
    }

    public string Directory { get; }

    public sealed record Layer(string Digest, long Size, string DiffId);

    public sealed record Image(string Digest, long Size, string MediaType, IReadOnlyList<string> Blobs);

    public Layer AddLayer(int seed, int size)
    {
        var content = new byte[size];
        new Random(seed).NextBytes(content);
        using var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, $"file{seed}.bin")
            {
                DataStream = new MemoryStream(content),
                Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
                ModificationTime = new DateTimeOffset(2026, 12, 6, 0, 0, 0, TimeSpan.Zero),
            });
        }

        using var gzip = new MemoryStream();
        using (var compressor = new GZipStream(gzip, CompressionLevel.Fastest, leaveOpen: true))
        {
            compressor.Write(tar.ToArray());
        }

        return new Layer(Store(gzip.ToArray()), gzip.Length, "sha256:" + Convert.ToHexStringLower(SHA256.HashData(tar.ToArray())));
    }

    /// <summary>An image manifest; its blobs are the config and the layers.</summary>
    public Image AddImage(string architecture, params Layer[] layers)
    {
        var config = JsonSerializer.SerializeToUtf8Bytes(new
        {
            architecture,
            os = "linux",
            rootfs = new { type = "layers", diff_ids = layers.Select(l => l.DiffId) },
        });
        var configDigest = Store(config);
        var manifest = JsonSerializer.SerializeToUtf8Bytes(new
        {
            schemaVersion = 2,
            mediaType = "application/vnd.oci.image.manifest.v1+json",
            config = new { mediaType = "application/vnd.oci.image.config.v1+json", digest = configDigest, size = config.Length },
            layers = layers.Select(l => new { mediaType = "application/vnd.oci.image.layer.v1.tar+gzip", digest = l.Digest, size = l.Size }),
        });
        return new Image(Store(manifest), manifest.Length, "application/vnd.oci.image.manifest.v1+json", [configDigest, .. layers.Select(l => l.Digest)]);
    }

    /// <summary>A multi-arch index over <paramref name="images"/> (amd64, arm64 …, in order).</summary>
    public Image AddIndex(params (Image Image, string Architecture)[] images)
    {
        var index = JsonSerializer.SerializeToUtf8Bytes(new
        {
            schemaVersion = 2,
            mediaType = "application/vnd.oci.image.index.v1+json",
            manifests = images.Select(i => new { mediaType = i.Image.MediaType, digest = i.Image.Digest, size = i.Image.Size, platform = new { architecture = i.Architecture, os = "linux" } }),
        });
        return new Image(Store(index), index.Length, "application/vnd.oci.image.index.v1+json", []);
    }

    /// <summary>Names <paramref name="image"/> <paramref name="tag"/> in index.json (skopeo's <c>oci:DIR:TAG</c>).</summary>
    public string Tag(string tag, Image image)
    {
        _references.Add(new
        {
            mediaType = image.MediaType,
            digest = image.Digest,
            size = image.Size,
            annotations = new Dictionary<string, string> { ["org.opencontainers.image.ref.name"] = tag },
        });
        File.WriteAllText(System.IO.Path.Combine(Directory, "oci-layout"), """{"imageLayoutVersion":"1.0.0"}""");
        File.WriteAllBytes(System.IO.Path.Combine(Directory, "index.json"), JsonSerializer.SerializeToUtf8Bytes(new { schemaVersion = 2, manifests = _references }));
        return $"oci:{Directory}:{tag}";
    }

    private string Store(byte[] content)
    {
        var hex = Convert.ToHexStringLower(SHA256.HashData(content));
        File.WriteAllBytes(System.IO.Path.Combine(Directory, "blobs", "sha256", hex), content);
        return "sha256:" + hex;
    }
}
