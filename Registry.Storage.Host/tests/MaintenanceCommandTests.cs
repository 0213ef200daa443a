using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Registry.Storage.Host.Tests;

/// <summary>regstore verify, gc and uploads through the real process on a filesystem tree in distribution's layout: exit codes and what they print.</summary>
[NonParallelizable]
public sealed class MaintenanceCommandTests
{
    private RegstoreProcess _host = null!;

    [SetUp]
    public void CreateTree() => _host = RegstoreProcess.CreateScratch("maintenance");

    [TearDown]
    public void RemoveTree() => _host.Dispose();

    [Test]
    [CancelAfter(60_000)]
    public async Task Verify_passes_a_clean_tree_and_names_a_flipped_byte_with_exit_1(CancellationToken cancellationToken)
    {
        var digest = WriteBlob("layer content for verify", "app");

        var clean = await _host.RunAsync(cancellationToken, "verify");
        clean.ExitCode.ShouldBe(0, clean.Stderr);
        Encoding.UTF8.GetString(clean.Stdout).ShouldContain("0 errors");

        var data = BlobFile(digest);
        var bytes = await File.ReadAllBytesAsync(data, cancellationToken);
        bytes[3] ^= 0x40;
        await File.WriteAllBytesAsync(data, bytes, cancellationToken);
        var broken = await _host.RunAsync(cancellationToken, "verify");

        broken.ExitCode.ShouldBe(1, broken.Stderr);
        var text = Encoding.UTF8.GetString(broken.Stdout);
        text.ShouldContain("error digest-mismatch");
        text.ShouldContain(digest[7..]);
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Gc_dry_run_names_an_unreferenced_blob_as_distribution_does_and_deletes_nothing(CancellationToken cancellationToken)
    {
        var orphan = WriteBlob("nobody references this", repository: null);

        var dry = await _host.RunAsync(cancellationToken, "gc", "--dry-run", "--grace", "0s");

        dry.ExitCode.ShouldBe(0, dry.Stderr);
        Encoding.UTF8.GetString(dry.Stdout).ShouldContain($"blob eligible for deletion: {orphan}");
        File.Exists(BlobFile(orphan)).ShouldBeTrue("a dry run deletes nothing");

        var real = await _host.RunAsync(cancellationToken, "gc", "--grace", "0s");
        real.ExitCode.ShouldBe(0, real.Stderr);
        File.Exists(BlobFile(orphan)).ShouldBeFalse("gc deletes the blob no manifest references");
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Gc_json_summary_times_each_phase_and_a_parallelism_below_1_is_refused(CancellationToken cancellationToken)
    {
        WriteBlob("nobody references this either", repository: null);

        var run = await _host.RunAsync(cancellationToken, "-o", "json", "gc", "--grace", "0s", "--parallelism", "4");

        run.ExitCode.ShouldBe(0, run.Stderr);
        using var summary = JsonDocument.Parse(Encoding.UTF8.GetString(run.Stdout).Trim().Split('\n')[^1]);
        summary.RootElement.GetProperty("phasesMs").EnumerateObject().Select(p => p.Name).ShouldBe(
            ["scan repositories", "scan blobs", "read manifests and tags", "mark", "rescan", "delete manifests", "delete blobs and layer links"]);
        var refused = await _host.RunAsync(cancellationToken, "gc", "--parallelism", "0");
        refused.ExitCode.ShouldBe(2, refused.Stderr);
        refused.Stderr.ShouldContain("--parallelism");
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Uploads_purge_rejects_a_bad_duration_with_exit_2(CancellationToken cancellationToken)
    {
        var result = await _host.RunAsync(cancellationToken, "uploads", "purge", "--older-than", "a week");

        result.ExitCode.ShouldBe(2, result.Stderr);
        result.Stderr.ShouldContain("older-than");
    }

    // A blob under distribution's layout, linked into a repository's _layers when one is given; returns its digest.
    private string WriteBlob(string content, string? repository)
    {
        var bytes = Encoding.UTF8.GetBytes(content);
        var hex = Convert.ToHexStringLower(SHA256.HashData(bytes));
        var data = BlobFile("sha256:" + hex);
        Directory.CreateDirectory(Path.GetDirectoryName(data)!);
        File.WriteAllBytes(data, bytes);
        if (repository is not null)
        {
            var link = Path.Combine(_host.Data, "docker/registry/v2/repositories", repository, "_layers/sha256", hex, "link");
            Directory.CreateDirectory(Path.GetDirectoryName(link)!);
            File.WriteAllText(link, "sha256:" + hex);
        }

        return "sha256:" + hex;
    }

    private string BlobFile(string digest)
    {
        var hex = digest["sha256:".Length..];
        return Path.Combine(_host.Data, "docker/registry/v2/blobs/sha256", hex[..2], hex, "data");
    }
}
