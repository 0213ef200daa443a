using Registry.Storage.Conformance;
using Registry.Storage.Drivers.S3;

namespace Registry.Server.Tests.Infrastructure;

/// <summary>
/// One storage tree in distribution's layout that docker-registry and this server's drivers both
/// reach: a local directory, or a fresh prefix (<c>rootdirectory</c>) of the test bucket on s3
/// (the RGW whose <c>REGSTORE_TEST_S3_*</c> the test command's services/ceph writes; without them
/// the test is ignored, and failed under <c>CI=true</c>). An s3 tree is deleted on dispose.
/// </summary>
internal abstract class TestBackend : IAsyncDisposable
{
    /// <summary>The backends a parametrised test runs on.</summary>
    public static readonly string[] Names = ["filesystem", "s3"];

    public abstract string Name { get; }

    /// <summary>distribution's storage driver section for this tree: the lines that go under <c>storage:</c>, indented by two.</summary>
    public abstract string DistributionStorage { get; }

    /// <summary>A new driver of ours over this tree; the caller disposes it.</summary>
    public abstract IStorageDriver CreateDriver();

    /// <summary>Another, empty tree on the same backend (a new directory or prefix).</summary>
    public abstract TestBackend Sibling(string name);

    /// <summary>A tree on <paramref name="name"/> (<see cref="Names"/>): a directory of <paramref name="temp"/>, or a fresh prefix of the test bucket.</summary>
    public static TestBackend Create(string name, TempDirectory temp) => name switch
    {
        "filesystem" => new FilesystemBackend(temp, "storage"),
        "s3" => new S3Backend(ConformanceEnvironment.RequireParametersFor("s3", "bucket", "regionendpoint", "accesskey", "secretkey"), "regstore-server-test-" + Guid.NewGuid().ToString("N")[..12]),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "filesystem or s3"),
    };

    /// <summary>The filesystem tree at <paramref name="root"/>.</summary>
    public static TestBackend Filesystem(string root) => new FilesystemBackend(root);

    /// <summary>Copies every file of this tree into <paramref name="destination"/> through our drivers.</summary>
    public async Task CopyToAsync(TestBackend destination)
    {
        await using var from = CreateDriver();
        await using var to = destination.CreateDriver();
        var files = new List<string>();
        await from.WalkAsync("/", (entry, _) =>
        {
            if (!entry.IsDirectory)
            {
                files.Add(entry.Path);
            }

            return ValueTask.FromResult(WalkDecision.Continue);
        });
        await Parallel.ForEachAsync(files, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (path, ct) =>
            await to.PutContentAsync(path, await from.GetContentAsync(path, ct), ct));
    }

    public abstract ValueTask DisposeAsync();

    private sealed class FilesystemBackend(string root) : TestBackend
    {
        private readonly TempDirectory? _temp;

        public FilesystemBackend(TempDirectory temp, string name)
            : this(temp.Sub(name)) => _temp = temp;

        public override string Name => "filesystem";

        public override string DistributionStorage => $"""
              filesystem:
                rootdirectory: {root}
            """;

        public override IStorageDriver CreateDriver() => RegistryHost.Filesystem(root);

        public override TestBackend Sibling(string name) =>
            _temp is null ? throw new InvalidOperationException("a tree made from a path has no siblings") : new FilesystemBackend(_temp, name);

        public override ValueTask DisposeAsync() => ValueTask.CompletedTask; // the temp directory goes with the test
    }

    private sealed class S3Backend(DriverParameters environment, string prefix) : TestBackend
    {
        public override string Name => "s3";

        // distribution 2.8.2's s3-aws takes no forcepathstyle (a custom endpoint is path-style) and panics with AWS_CA_BUNDLE set (services.md).
        public override string DistributionStorage => $"""
              s3:
                accesskey: '{environment.GetString("accesskey")}'
                secretkey: '{environment.GetString("secretkey")}'
                region: '{environment.GetString("region", "us-east-1")}'
                regionendpoint: '{environment.GetString("regionendpoint")}'
                bucket: '{environment.GetString("bucket")}'
                secure: {environment.GetBoolean("secure", defaultValue: false).ToString().ToLowerInvariant()}
                rootdirectory: /{prefix}
            """;

        public override IStorageDriver CreateDriver() => new S3Driver(S3Parameters.Parse(environment.With("rootdirectory", "/" + prefix)));

        public override TestBackend Sibling(string name) => new S3Backend(environment, $"{prefix}-{name}");

        public override async ValueTask DisposeAsync()
        {
            await using var driver = CreateDriver();
            await foreach (var child in driver.ListAsync("/"))
            {
                await driver.DeleteAsync(child);
            }
        }
    }
}
