using System.Diagnostics;

namespace Registry.Storage.Reliability.Tests;

/// <summary>
/// The filesystem driver on a 16 MiB tmpfs: a write larger than the free space fails with a named
/// StorageDriverException (never a silent success), and the previous content of the same path is intact.
/// Mounting needs root, as the CI machine runs the tests.
/// </summary>
[TestFixture, Platform(Include = "Linux")]
public sealed class FullDiskTests
{
    private string _mount = null!;

    [SetUp]
    public async Task MountSmallTmpfs()
    {
        _mount = Directory.CreateTempSubdirectory("regstore-fulldisk-").FullName;
        (await RunAsync("mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", _mount)).ShouldBe(0, "mounting a tmpfs needs root (as CI runs)");
    }

    [TearDown]
    public async Task Unmount()
    {
        await RunAsync("umount", _mount);
        Directory.Delete(_mount, recursive: true);
    }

    [Test, CancelAfter(60_000)]
    public async Task AWriteThatFillsTheDiskFailsAndKeepsThePreviousContent(CancellationToken cancellationToken)
    {
        var driver = await Drivers.CreateAsync("filesystem", new DriverParameters("filesystem", new Dictionary<string, object?> { ["rootdirectory"] = Path.Combine(_mount, "root") }), cancellationToken);
        var previous = new byte[1024 * 1024];
        Random.Shared.NextBytes(previous);
        await driver.PutContentAsync("/blob", previous, cancellationToken);

        var chunk = new byte[1024 * 1024];
        var failure = await Should.ThrowAsync<StorageDriverException>(async () =>
        {
            await using var writer = await driver.WriterAsync("/blob", append: false, cancellationToken);
            for (var i = 0; i < 32; i++)
            {
                await writer.WriteAsync(chunk, cancellationToken);
            }

            await writer.CommitAsync(cancellationToken);
        });
        TestContext.Out.WriteLine($"full disk: {failure.GetType().Name}: {failure.Message}");

        (await driver.GetContentAsync("/blob", cancellationToken)).ShouldBe(previous, "the previous content survives the failed write");
        await Should.ThrowAsync<StorageDriverException>(() => driver.PutContentAsync("/blob", new byte[32 * 1024 * 1024], cancellationToken));
        (await driver.GetContentAsync("/blob", cancellationToken)).ShouldBe(previous, "the previous content survives a failed PutContent");
    }

    private static async Task<int> RunAsync(string file, params string[] arguments)
    {
        using var process = Process.Start(file, arguments);
        await process.WaitForExitAsync();
        return process.ExitCode;
    }
}
