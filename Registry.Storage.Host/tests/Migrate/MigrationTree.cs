using System.Security.Cryptography;
using Registry.Storage.Hosting.Plugins;

namespace Registry.Storage.Host.Tests.Migrate;

/// <summary>Builds registry-shaped trees (content-addressed blobs, links, tags) and opens real plugin drivers for migrate tests.</summary>
internal static class MigrationTree
{
    public const string Prefix = "/docker/registry/v2";

    private static readonly Lazy<DriverRegistry> Loaded = new(() =>
    {
        var registry = new DriverRegistry();
        var scanner = new PluginScanner();
        foreach (var name in new[] { "Registry.Storage.Drivers.InMemory", "Registry.Storage.Drivers.Filesystem" })
        {
            var result = scanner.Load(Path.Combine(AppContext.BaseDirectory, "fixtures", name), registry);
            result.Status.ShouldNotBe(PluginStatus.Failed, result.Error);
        }

        return registry;
    });

    public static DriverRegistry Registry => Loaded.Value;

    public static Task<IStorageDriver> FilesystemAsync(string root) =>
        Registry.CreateAsync("filesystem", new Dictionary<string, object?> { ["rootdirectory"] = root });

    public static Task<IStorageDriver> InMemoryAsync(string store) =>
        Registry.CreateAsync("inmemory", new Dictionary<string, object?> { ["store"] = store });

    public static string TempFolder()
    {
        var path = Path.Combine(Path.GetTempPath(), "regstore-migrate-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>Writes <paramref name="small"/> small blobs with links and tags, and <paramref name="large"/> blobs of <paramref name="largeSize"/> bytes; returns the total bytes.</summary>
    public static async Task<(int Files, long Bytes)> WriteAsync(IStorageDriver driver, int small, int large, int largeSize, int seed = 1)
    {
        var random = new Random(seed);
        var files = 0;
        long bytes = 0;
        for (var i = 0; i < small + large; i++)
        {
            var content = new byte[i < small ? random.Next(1, 5000) : largeSize];
            random.NextBytes(content);
            var digest = Convert.ToHexStringLower(SHA256.HashData(content));
            await driver.WriteStreamAsync(BlobPath(digest), new MemoryStream(content));
            var link = System.Text.Encoding.ASCII.GetBytes("sha256:" + digest);
            await driver.PutContentAsync($"{Prefix}/repositories/app{i % 7}/_layers/sha256/{digest}/link", link);
            files += 2;
            bytes += content.Length + link.Length;
        }

        var tag = System.Text.Encoding.ASCII.GetBytes("sha256:" + new string('e', 64));
        await driver.PutContentAsync($"{Prefix}/repositories/app0/_manifests/tags/latest/current/link", tag);
        return (files + 1, bytes + tag.Length);
    }

    public static string BlobPath(string digest) => $"{Prefix}/blobs/sha256/{digest[..2]}/{digest}/data";
}
