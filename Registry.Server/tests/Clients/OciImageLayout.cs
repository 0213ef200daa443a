using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;

namespace Registry.Server.Tests.Clients;

/// <summary>Writes a real multi-layer OCI image layout (gzip tar layers, image config, manifest, index.json) for skopeo to copy from.</summary>
internal sealed class OciImageLayout
{
    private OciImageLayout(string directory, string tag, string manifestDigest, IReadOnlyDictionary<string, byte[]> blobs, IReadOnlyList<string> layerDigests)
    {
        LayerDigests = layerDigests;
        Directory = directory;
        Tag = tag;
        ManifestDigest = manifestDigest;
        Blobs = blobs;
    }

    public string Directory { get; }

    /// <summary>The layers' digests (gzip), in manifest order.</summary>
    public IReadOnlyList<string> LayerDigests { get; }

    public string Tag { get; }

    public string ManifestDigest { get; }

    /// <summary>Every blob (config, layers, manifest) by digest.</summary>
    public IReadOnlyDictionary<string, byte[]> Blobs { get; }

    /// <summary>The skopeo reference <c>oci:DIR:TAG</c>.</summary>
    public string Reference => $"oci:{Directory}:{Tag}";

    public static OciImageLayout Write(string directory, string tag, int seed, params int[] layerSizes)
    {
        var blobDirectory = Path.Combine(directory, "blobs", "sha256");
        System.IO.Directory.CreateDirectory(blobDirectory);
        var blobs = new Dictionary<string, byte[]>();
        string Store(byte[] content)
        {
            var hex = Convert.ToHexStringLower(SHA256.HashData(content));
            File.WriteAllBytes(Path.Combine(blobDirectory, hex), content);
            blobs["sha256:" + hex] = content;
            return "sha256:" + hex;
        }

        var layers = new List<object>();
        var diffIds = new List<string>();
        var layerDigests = new List<string>();
        for (var i = 0; i < layerSizes.Length; i++)
        {
            var (tar, gzip) = Layer(seed * 31 + i, layerSizes[i], $"layer{i}.bin");
            diffIds.Add("sha256:" + Convert.ToHexStringLower(SHA256.HashData(tar)));
            layerDigests.Add(Store(gzip));
            layers.Add(new { mediaType = "application/vnd.oci.image.layer.v1.tar+gzip", digest = layerDigests[^1], size = gzip.Length });
        }

        var config = JsonSerializer.SerializeToUtf8Bytes(new
        {
            created = "2026-12-06T00:00:00Z",
            architecture = "amd64",
            os = "linux",
            config = new { Env = new[] { "PATH=/usr/bin" }, Cmd = new[] { "/layer0.bin" } },
            rootfs = new { type = "layers", diff_ids = diffIds },
            history = diffIds.Select((_, i) => new { created = "2026-12-06T00:00:00Z", created_by = $"layer {i}" }),
        });
        var manifest = JsonSerializer.SerializeToUtf8Bytes(new
        {
            schemaVersion = 2,
            mediaType = "application/vnd.oci.image.manifest.v1+json",
            config = new { mediaType = "application/vnd.oci.image.config.v1+json", digest = Store(config), size = config.Length },
            layers,
        });
        var manifestDigest = Store(manifest);
        File.WriteAllText(Path.Combine(directory, "oci-layout"), """{"imageLayoutVersion":"1.0.0"}""");
        File.WriteAllBytes(Path.Combine(directory, "index.json"), JsonSerializer.SerializeToUtf8Bytes(new
        {
            schemaVersion = 2,
            manifests = new[]
            {
                new
                {
                    mediaType = "application/vnd.oci.image.manifest.v1+json",
                    digest = manifestDigest,
                    size = manifest.Length,
                    annotations = new Dictionary<string, string> { ["org.opencontainers.image.ref.name"] = tag },
                },
            },
        }));
        return new OciImageLayout(directory, tag, manifestDigest, blobs, layerDigests);
    }

    private static (byte[] Tar, byte[] Gzip) Layer(int seed, int size, string fileName)
    {
        var content = new byte[size];
        new Random(seed).NextBytes(content);
        using var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            var entry = new PaxTarEntry(TarEntryType.RegularFile, fileName)
            {
                DataStream = new MemoryStream(content),
                Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
                ModificationTime = new DateTimeOffset(2026, 12, 6, 0, 0, 0, TimeSpan.Zero),
            };
            writer.WriteEntry(entry);
        }

        using var gzip = new MemoryStream();
        using (var compressor = new GZipStream(gzip, CompressionLevel.Fastest, leaveOpen: true))
        {
            compressor.Write(tar.ToArray());
        }

        return (tar.ToArray(), gzip.ToArray());
    }
}
