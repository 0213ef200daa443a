using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Registry.Server.Tests.Infrastructure;

/// <summary>Small helpers speaking the distribution API the way a client does.</summary>
internal static class RegistryApi
{
    public const string OciManifest = "application/vnd.oci.image.manifest.v1+json";
    public const string OciIndex = "application/vnd.oci.image.index.v1+json";
    public const string DockerManifest = "application/vnd.docker.distribution.manifest.v2+json";
    public const string DockerList = "application/vnd.docker.distribution.manifest.list.v2+json";

    public static string Sha256(byte[] content) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));

    public static string Sha512(byte[] content) => "sha512:" + Convert.ToHexStringLower(SHA512.HashData(content));

    public static byte[] RandomBytes(int size, int seed)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    /// <summary>Monolithic upload (POST ?digest=); asserts 201.</summary>
    public static async Task<string> PushBlobAsync(HttpClient client, string repo, byte[] content, string? digest = null)
    {
        digest ??= Sha256(content);
        using var body = new ByteArrayContent(content);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var response = await client.PostAsync($"/v2/{repo}/blobs/uploads/?digest={digest}", body);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return digest;
    }

    public static async Task<HttpResponseMessage> PutManifestAsync(HttpClient client, string repo, string reference, byte[] manifest, string mediaType)
    {
        using var content = new ByteArrayContent(manifest);
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        return await client.PutAsync($"/v2/{repo}/manifests/{reference}", content);
    }

    /// <summary>Pushes a config and <paramref name="layers"/> and returns an OCI manifest referencing them (not pushed).</summary>
    public static async Task<byte[]> PushImageBlobsAsync(HttpClient client, string repo, int layers = 2, int seed = 1, string mediaType = OciManifest, object? subject = null, string? artifactType = null)
    {
        var config = Encoding.UTF8.GetBytes($"{{\"architecture\":\"amd64\",\"os\":\"linux\",\"seed\":{seed}}}");
        await PushBlobAsync(client, repo, config);
        var layerDescriptors = new List<object>();
        for (var i = 0; i < layers; i++)
        {
            var layer = RandomBytes(1000 + i, seed * 100 + i);
            await PushBlobAsync(client, repo, layer);
            layerDescriptors.Add(new
            {
                mediaType = mediaType == DockerManifest ? "application/vnd.docker.image.rootfs.diff.tar.gzip" : "application/vnd.oci.image.layer.v1.tar+gzip",
                digest = Sha256(layer),
                size = layer.Length,
            });
        }

        var manifest = new Dictionary<string, object>
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = mediaType,
            ["config"] = new
            {
                mediaType = mediaType == DockerManifest ? "application/vnd.docker.container.image.v1+json" : "application/vnd.oci.image.config.v1+json",
                digest = Sha256(config),
                size = config.Length,
            },
            ["layers"] = layerDescriptors,
        };
        if (subject is not null)
        {
            manifest["subject"] = subject;
        }

        if (artifactType is not null)
        {
            manifest["artifactType"] = artifactType;
        }

        return JsonSerializer.SerializeToUtf8Bytes(manifest);
    }

    public static async Task<JsonElement> ErrorAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(text);
        return document.RootElement.GetProperty("errors")[0].Clone();
    }

    /// <summary>Asserts the status and the spec error code of a response.</summary>
    public static async Task ShouldBeErrorAsync(this HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(status, text);
        if (response.RequestMessage?.Method != HttpMethod.Head)
        {
            using var document = JsonDocument.Parse(text);
            document.RootElement.GetProperty("errors")[0].GetProperty("code").GetString().ShouldBe(code, text);
        }
    }

    public static string Header(this HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values)
        : response.Content.Headers.TryGetValues(name, out var contentValues) ? string.Join(",", contentValues)
        : throw new ShouldAssertException($"no {name} header; status {(int)response.StatusCode}");
}
