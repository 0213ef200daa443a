using System.Runtime.InteropServices;
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

    /// <summary>
    /// issue 18 item 24: a put interrupted midway leaves a hidden upload file that ls and du do not
    /// show; uploads ls shows it (as the driver's, with its size) beside a registry upload, a dry
    /// purge keeps both, and a purge removes both — the staging file is gone from disk.
    /// </summary>
    [Test]
    [CancelAfter(120_000)]
    public async Task An_interrupted_put_is_listed_by_uploads_ls_and_removed_by_uploads_purge(CancellationToken cancellationToken)
    {
        const int size = 8 << 20;
        var registryUpload = Path.Combine(_host.Data, "docker/registry/v2/repositories/app/_uploads/4f0c4a3e-6a43-4d8e-9d3c-000000000001");
        Directory.CreateDirectory(registryUpload);
        File.WriteAllText(Path.Combine(registryUpload, "startedat"), "2020-01-01T00:00:00Z");

        // SIGTERM takes the path Ctrl-C takes (the command's token is cancelled, the writer closed,
        // not committed); SIGINT would be ignored if this test host was started with it ignored.
        using var put = _host.Start("put", "/backups/big.bin", "-");
        await put.StandardInput.BaseStream.WriteAsync(RandomNumberGenerator.GetBytes(size), cancellationToken);
        await put.StandardInput.BaseStream.FlushAsync(cancellationToken);
        var staging = Path.Combine(_host.Data, "backups", "big.bin~upload");
        while (!File.Exists(staging) || new FileInfo(staging).Length < size - (1 << 20))
        {
            await Task.Delay(50, cancellationToken); // the writer has taken all but its last buffer
        }

        await Task.Delay(500, cancellationToken);
        Unix.kill(put.Id, Unix.SIGTERM).ShouldBe(0);
        var putErrors = await put.StandardError.ReadToEndAsync(cancellationToken);
        await put.WaitForExitAsync(cancellationToken);
        put.ExitCode.ShouldBe(1, putErrors);
        putErrors.ShouldContain("put interrupted: nothing is visible at /backups/big.bin");
        putErrors.ShouldContain("regstore uploads ls");
        putErrors.ShouldContain("regstore uploads purge");
        var left = new FileInfo(staging).Length;
        left.ShouldBe(size, "the closed writer flushed every byte it had taken");
        Encoding.UTF8.GetString((await _host.RunAsync(cancellationToken, "ls", "-R", "/")).Stdout).ShouldNotContain("big.bin");

        var ls = await _host.RunAsync(cancellationToken, "uploads", "ls");
        ls.ExitCode.ShouldBe(0, ls.Stderr);
        var text = Encoding.UTF8.GetString(ls.Stdout);
        text.ShouldContain("driver /backups/big.bin modified ");
        text.ShouldContain(" 8 MiB");
        text.ShouldContain("registry app 4f0c4a3e-6a43-4d8e-9d3c-000000000001 started 2020-01-01 00:00:00Z");

        var json = await _host.RunAsync(cancellationToken, "uploads", "ls", "-o", "json");
        var lines = Encoding.UTF8.GetString(json.Stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var driverLine = lines.Single(l => l.GetProperty("kind").GetString() == "driver");
        driverLine.GetProperty("path").GetString().ShouldBe("/backups/big.bin");
        driverLine.GetProperty("size").GetInt64().ShouldBe(size);
        lines.Single(l => l.GetProperty("kind").GetString() == "registry").GetProperty("repository").GetString().ShouldBe("app");

        var dry = await _host.RunAsync(cancellationToken, "uploads", "purge", "--older-than", "0s", "--dry-run");
        dry.ExitCode.ShouldBe(0, dry.Stderr);
        var dryText = Encoding.UTF8.GetString(dry.Stdout);
        dryText.ShouldContain("would remove driver /backups/big.bin");
        dryText.ShouldContain("would remove registry app ");
        dryText.ShouldContain("2 uploads would be removed (8 MiB)");
        File.Exists(staging).ShouldBeTrue("a dry run removes nothing");
        Directory.Exists(registryUpload).ShouldBeTrue("a dry run removes nothing");

        var purge = await _host.RunAsync(cancellationToken, "uploads", "purge", "--older-than", "0s", "-o", "json");
        purge.ExitCode.ShouldBe(0, purge.Stderr);
        var summary = JsonDocument.Parse(Encoding.UTF8.GetString(purge.Stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]).RootElement;
        summary.GetProperty("type").GetString().ShouldBe("summary");
        summary.GetProperty("driver").GetProperty("count").GetInt32().ShouldBe(1);
        summary.GetProperty("driver").GetProperty("bytes").GetInt64().ShouldBe(size);
        summary.GetProperty("registry").GetProperty("count").GetInt32().ShouldBe(1);
        File.Exists(staging).ShouldBeFalse("the purge discards the staging file");
        Directory.Exists(registryUpload).ShouldBeFalse("the purge removes the registry's old upload");
        Encoding.UTF8.GetString((await _host.RunAsync(cancellationToken, "uploads", "ls")).Stdout).ShouldContain("0 (0 B) of the registry, 0 (0 B) of the filesystem driver");
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

    private static class Unix
    {
        public const int SIGTERM = 15;

        [DllImport("libc", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int kill(int pid, int signal);
    }
}
