using Registry.Storage.Conformance;
using Registry.Storage.Drivers.Azure;
using Registry.Storage.Drivers.Filesystem;
using Registry.Storage.Drivers.InMemory;
using Registry.Storage.Drivers.Oss;
using Registry.Storage.Drivers.Rados;
using Registry.Storage.Drivers.S3;
using Registry.Storage.Drivers.Swift;

namespace Registry.Storage.Reliability.Tests;

/// <summary>
/// Creates drivers through their factories with the parameters the service scripts export
/// (<c>REGSTORE_TEST_&lt;DRIVER&gt;_*</c>), each rooted in a fresh folder/prefix of its own.
/// </summary>
internal static class Drivers
{
    /// <summary>The network drivers, with the parameters each needs from the environment.</summary>
    public static readonly (string Name, string[] Required)[] Network =
    [
        ("s3", ["bucket"]),
        ("azure", ["container"]),
        ("swift", ["authurl", "container"]),
        ("oss", ["bucket", "endpoint"]),
        ("rados", ["poolname"]),
    ];

    /// <summary>The factory for <paramref name="name"/>.</summary>
    public static IStorageDriverFactory Factory(string name) => name switch
    {
        "inmemory" => new InMemoryDriverFactory(),
        "filesystem" => new FilesystemDriverFactory(),
        "s3" => new S3DriverFactory(),
        "azure" => new AzureDriverFactory(),
        "swift" => new SwiftDriverFactory(),
        "oss" => new OssDriverFactory(),
        "rados" => new RadosDriverFactory(),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "no such driver in this test project"),
    };

    /// <summary>
    /// The environment's parameters for a network driver (ignored locally, failed under CI when
    /// unset) with <c>rootdirectory</c> extended by <paramref name="segment"/>.
    /// </summary>
    public static DriverParameters NetworkParameters(string name, string[] required, string segment)
    {
        var parameters = ConformanceEnvironment.RequireParametersFor(name, required);
        return WithRoot(parameters, segment);
    }

    /// <summary><paramref name="parameters"/> with <c>rootdirectory</c> extended by <paramref name="segment"/>.</summary>
    public static DriverParameters WithRoot(DriverParameters parameters, string segment)
    {
        var baseRoot = parameters.GetString("rootdirectory") ?? "";
        return parameters.With("rootdirectory", baseRoot.TrimEnd('/') + "/" + segment);
    }

    /// <summary>Creates the driver <paramref name="name"/> from <paramref name="parameters"/>.</summary>
    public static async Task<IStorageDriver> CreateAsync(string name, DriverParameters parameters, CancellationToken cancellationToken) =>
        await Factory(name).CreateAsync(parameters, cancellationToken).ConfigureAwait(false);

    /// <summary>A fresh, unique name for a run folder.</summary>
    public static string RunSegment(string purpose) => $"reliability-{purpose}-{Guid.NewGuid():N}"[..40];

    /// <summary>Every file below <paramref name="path"/> with its content, for before/after comparisons.</summary>
    public static async Task<SortedDictionary<string, string>> SnapshotAsync(IStorageDriver driver, string path, CancellationToken cancellationToken)
    {
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        await driver.WalkAsync(path, async (entry, ct) =>
        {
            if (!entry.IsDirectory)
            {
                files[entry.Path] = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(await driver.GetContentAsync(entry.Path, ct).ConfigureAwait(false)));
            }

            return WalkDecision.Continue;
        }, null, cancellationToken).ConfigureAwait(false);
        return files;
    }

    /// <summary>Deletes everything the driver keeps, ignoring an already empty root.</summary>
    public static async Task DeleteAllAsync(IStorageDriver driver, CancellationToken cancellationToken)
    {
        var children = new List<string>();
        try
        {
            await foreach (var child in driver.ListAsync("/", cancellationToken).ConfigureAwait(false))
            {
                children.Add(child);
            }
        }
        catch (PathNotFoundException)
        {
            return;
        }

        foreach (var child in children)
        {
            await driver.DeleteAsync(child, cancellationToken).ConfigureAwait(false);
        }
    }
}
