using System.Security.Cryptography;
using Registry.Storage.Hosting.Decorators;
using Registry.Storage.Hosting.Migration;

namespace Registry.Storage.Host.Tests.Migrate;

public class TreeMigratorTests
{
    private readonly List<string> _folders = [];

    [TearDown]
    public void RemoveFolders()
    {
        foreach (var folder in _folders)
        {
            Directory.Delete(folder, recursive: true);
        }

        _folders.Clear();
    }

    private async Task<IStorageDriver> FilesystemAsync()
    {
        var folder = MigrationTree.TempFolder();
        _folders.Add(folder);
        return await MigrationTree.FilesystemAsync(folder);
    }

    private static async Task<IReadOnlyList<(string Path, string Sha)>> ContentsAsync(IStorageDriver driver)
    {
        var result = new List<(string, string)>();
        foreach (var entry in await driver.WalkToListAsync(MigrationTree.Prefix))
        {
            if (!entry.IsDirectory)
            {
                result.Add((entry.Path, Convert.ToHexStringLower(SHA256.HashData(await driver.GetContentAsync(entry.Path)))));
            }
        }

        return result;
    }

    [Test]
    public async Task Migrates_a_tree_of_many_small_and_a_few_large_files_between_filesystem_drivers_verified()
    {
        var source = await FilesystemAsync();
        var destination = await FilesystemAsync();
        var (files, bytes) = await MigrationTree.WriteAsync(source, small: 150, large: 3, largeSize: 6 << 20);

        var summary = await new TreeMigrator(source, destination, new MigrationOptions { Transfers = 4, Checkers = 4 }).MigrateAsync(CancellationToken.None);

        summary.Count(FileOutcome.Copied).ShouldBe(files);
        summary.Bytes[FileOutcome.Copied].ShouldBe(bytes);
        summary.BytesTransferred.ShouldBe(bytes);
        summary.Problems.ShouldBeEmpty();
        summary.Interrupted.ShouldBeFalse();
        (await ContentsAsync(destination)).ShouldBe(await ContentsAsync(source));

        var check = await new TreeMigrator(source, destination, new MigrationOptions()).CheckAsync(CancellationToken.None);
        check.Count(FileOutcome.Skipped).ShouldBe(files);
        check.Problems.ShouldBeEmpty();
    }

    [Test]
    public async Task An_interrupted_migration_resumes_copying_only_what_is_missing()
    {
        var source = await FilesystemAsync();
        var destination = await FilesystemAsync();
        var (files, bytes) = await MigrationTree.WriteAsync(source, small: 120, large: 2, largeSize: 4 << 20);

        using var interrupt = new CancellationTokenSource();
        var first = new TreeMigrator(source, destination, new MigrationOptions { Transfers = 2, Checkers = 2 });
        var copiedBeforeInterrupt = 0;
        first.FileCompleted += r =>
        {
            if (r.Outcome == FileOutcome.Copied && Interlocked.Increment(ref copiedBeforeInterrupt) == 40)
            {
                interrupt.Cancel();
            }
        };
        var interrupted = await first.MigrateAsync(interrupt.Token);
        interrupted.Interrupted.ShouldBeTrue();
        var copiedFirst = interrupted.Count(FileOutcome.Copied);
        copiedFirst.ShouldBeInRange(40, files - 1);

        var resumed = await new TreeMigrator(source, destination, new MigrationOptions { Transfers = 4 }).MigrateAsync(CancellationToken.None);

        resumed.Interrupted.ShouldBeFalse();
        resumed.Problems.ShouldBeEmpty();
        // A transfer in flight when the interrupt came that had already committed is counted as
        // copied by the interrupted run, so its summary and the resume agree exactly.
        resumed.Count(FileOutcome.Skipped).ShouldBe(copiedFirst, "the resume skips exactly what the interrupted run reported as copied");
        (resumed.Count(FileOutcome.Skipped) + resumed.Count(FileOutcome.Copied)).ShouldBe(files);
        (resumed.Bytes.GetValueOrDefault(FileOutcome.Skipped) + resumed.Bytes.GetValueOrDefault(FileOutcome.Copied)).ShouldBe(bytes);
        (await ContentsAsync(destination)).ShouldBe(await ContentsAsync(source));
    }

    [Test]
    public async Task Migrates_between_inmemory_drivers_and_a_rerun_copies_nothing()
    {
        var source = await MigrationTree.InMemoryAsync("migrate-src-" + Guid.NewGuid());
        var destination = await MigrationTree.InMemoryAsync("migrate-dst-" + Guid.NewGuid());
        var (files, _) = await MigrationTree.WriteAsync(source, small: 60, large: 1, largeSize: 3 << 20);

        (await new TreeMigrator(source, destination, new MigrationOptions()).MigrateAsync(CancellationToken.None)).Count(FileOutcome.Copied).ShouldBe(files);
        var again = await new TreeMigrator(source, destination, new MigrationOptions()).MigrateAsync(CancellationToken.None);

        again.Count(FileOutcome.Skipped).ShouldBe(files);
        again.BytesTransferred.ShouldBe(0);
        (await ContentsAsync(destination)).ShouldBe(await ContentsAsync(source));
    }

    [Test]
    public async Task A_differing_destination_file_is_an_error_unless_overwrite()
    {
        var source = await FilesystemAsync();
        var destination = await FilesystemAsync();
        var tag = MigrationTree.Prefix + "/repositories/app/_manifests/tags/v1/current/link";
        await source.PutContentAsync(tag, "sha256:aaaa"u8.ToArray());
        await destination.PutContentAsync(tag, "sha256:bbbb"u8.ToArray());

        var refused = await new TreeMigrator(source, destination, new MigrationOptions()).MigrateAsync(CancellationToken.None);
        var problem = refused.Problems.ShouldHaveSingleItem();
        problem.Outcome.ShouldBe(FileOutcome.Differing);
        problem.Detail!.ShouldStartWith("content differs");
        (await destination.GetContentAsync(tag)).ShouldBe("sha256:bbbb"u8.ToArray(), "immutable by default");

        var replaced = await new TreeMigrator(source, destination, new MigrationOptions { Overwrite = true }).MigrateAsync(CancellationToken.None);
        replaced.Count(FileOutcome.Copied).ShouldBe(1);
        (await destination.GetContentAsync(tag)).ShouldBe("sha256:aaaa"u8.ToArray());
    }

    [Test]
    public async Task A_corrupt_source_blob_is_never_committed_and_is_fatal()
    {
        var source = await FilesystemAsync();
        var destination = await FilesystemAsync();
        var path = MigrationTree.BlobPath(new string('a', 64));
        await source.PutContentAsync(path, "not what the digest says"u8.ToArray());

        var summary = await new TreeMigrator(source, destination, new MigrationOptions()).MigrateAsync(CancellationToken.None);

        var problem = summary.Problems.ShouldHaveSingleItem();
        problem.Outcome.ShouldBe(FileOutcome.FailedFatal);
        problem.Detail!.ShouldContain("the source blob is corrupt");
        (await destination.ExistsAsync(path)).ShouldBeFalse();
    }

    [Test]
    public async Task Truncated_reads_and_transient_faults_fail_retryably_without_committing_and_a_rerun_completes()
    {
        var source = await MigrationTree.InMemoryAsync("faulty-src-" + Guid.NewGuid());
        var destination = await FilesystemAsync();
        var (files, _) = await MigrationTree.WriteAsync(source, small: 80, large: 0, largeSize: 0);
        var faulty = new FaultInjectionDriver(source, new FaultInjectionOptions(ErrorRate: 0.1, TruncateReadRate: 0.3, Seed: 11, Operations: ["Reader"]));

        var first = await new TreeMigrator(faulty, destination, new MigrationOptions()).MigrateAsync(CancellationToken.None);
        first.Count(FileOutcome.FailedRetryable).ShouldBeGreaterThan(0);
        first.Count(FileOutcome.FailedFatal).ShouldBe(0);
        foreach (var failed in first.Problems)
        {
            (await destination.ExistsAsync(failed.Path)).ShouldBeFalse($"{failed.Path} failed ({failed.Detail}) and must not be committed");
        }

        var second = await new TreeMigrator(source, destination, new MigrationOptions()).MigrateAsync(CancellationToken.None);
        second.Problems.ShouldBeEmpty();
        (second.Count(FileOutcome.Copied) + second.Count(FileOutcome.Skipped)).ShouldBe(files);
        (await ContentsAsync(destination)).ShouldBe(await ContentsAsync(source));
    }

    [Test]
    public async Task Dry_run_writes_nothing_and_filters_select_paths()
    {
        var source = await FilesystemAsync();
        var destination = await FilesystemAsync();
        await MigrationTree.WriteAsync(source, small: 20, large: 0, largeSize: 0);

        var dry = await new TreeMigrator(source, destination, new MigrationOptions { DryRun = true, Include = ["**/_layers/**"], Exclude = ["/docker/registry/v2/repositories/app1/**"] })
            .MigrateAsync(CancellationToken.None);

        dry.Count(FileOutcome.Missing).ShouldBe(17, "20 links in 7 repositories, minus app1's 3");
        dry.Problems.ShouldAllBe(p => p.Detail == "would copy" && p.Path.Contains("/_layers/") && !p.Path.Contains("/app1/"));
        (await destination.ExistsAsync("/docker")).ShouldBeFalse();
    }

    [Test]
    public async Task Check_reports_missing_differing_and_extra_files()
    {
        var source = await FilesystemAsync();
        var destination = await FilesystemAsync();
        var p = MigrationTree.Prefix;
        await source.PutContentAsync(p + "/a", "same"u8.ToArray());
        await destination.PutContentAsync(p + "/a", "same"u8.ToArray());
        await source.PutContentAsync(p + "/b", "source"u8.ToArray());
        await destination.PutContentAsync(p + "/b", "dest"u8.ToArray());
        await source.PutContentAsync(p + "/c", "only source"u8.ToArray());
        await destination.PutContentAsync(p + "/d", "only destination"u8.ToArray());

        var summary = await new TreeMigrator(source, destination, new MigrationOptions()).CheckAsync(CancellationToken.None);

        summary.Problems.Select(r => (r.Path, r.Outcome)).ShouldBe([
            (p + "/b", FileOutcome.Differing), (p + "/c", FileOutcome.Missing), (p + "/d", FileOutcome.Extra)]);
        summary.Count(FileOutcome.Skipped).ShouldBe(1);
        (await destination.ExistsAsync(p + "/c")).ShouldBeFalse("check never copies");
    }

    [Test]
    public async Task The_bandwidth_limit_bounds_the_rate()
    {
        var source = await MigrationTree.InMemoryAsync("bw-src-" + Guid.NewGuid());
        var destination = await MigrationTree.InMemoryAsync("bw-dst-" + Guid.NewGuid());
        await source.WriteStreamAsync(MigrationTree.Prefix + "/big", new MemoryStream(new byte[2 << 20]));

        var summary = await new TreeMigrator(source, destination, new MigrationOptions { BandwidthLimit = 4 << 20, BufferSize = 256 << 10 }).MigrateAsync(CancellationToken.None);

        summary.Count(FileOutcome.Copied).ShouldBe(1);
        summary.Elapsed.ShouldBeGreaterThan(TimeSpan.FromMilliseconds(400), "2 MiB at 4 MiB/s takes about half a second");
    }

    [TestCase("*.json", "/a/b/c.json", true)]
    [TestCase("*.json", "/a/b/c.jsonx", false)]
    [TestCase("/docker/*/x", "/docker/a/x", true)]
    [TestCase("/docker/*/x", "/docker/a/b/x", false)]
    [TestCase("/docker/**/x", "/docker/a/b/x", true)]
    [TestCase("/docker/**/x", "/docker/x", true)]
    [TestCase("**/_uploads/**", "/v2/repositories/r/_uploads/u/data", true)]
    [TestCase("da?a", "/x/data", true)]
    public void Globs_match_as_documented(string glob, string path, bool matches) =>
        PathFilter.ToRegex(glob).IsMatch(path).ShouldBe(matches);

    [TestCase("/docker/registry/v2/blobs/sha256/ab/ab" + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcd" + "/data", true)]
    [TestCase("/docker/registry/v2/blobs/sha256/cd/ab" + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcd" + "/data", false)]
    [TestCase("/docker/registry/v2/repositories/r/_layers/sha256/ab" + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcd" + "/link", false)]
    public void Only_blob_data_paths_are_content_addressed(string path, bool addressed) =>
        (ContentAddress.Sha256Of(path) is not null).ShouldBe(addressed);
}
