#pragma warning disable CA1416 // Linux only: [Platform(Include = "Linux")]
using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Registry.Storage.Host.Tests;

/// <summary>
/// The published host with its seven bundled plugins and hostile plugin folders beside them
/// (issue 16's cases): every command completes within its limit, the good drivers work, and
/// each bad plugin is reported with its cause. Runs the real process from a copy of
/// <c>artifacts/regstore</c>, so the bundled list and the default plugins directory are real.
/// </summary>
[NonParallelizable]
[Platform(Include = "Linux")]
public sealed class HostilePluginsTests
{
    private static readonly TimeSpan CommandLimit = TimeSpan.FromSeconds(20);
    private PublishedHost _published = null!;
    private string _host = null!;
    private string _plugins = null!;
    private string _work = null!;

    [OneTimeSetUp]
    public void CopyPublishedHostAndAddHostilePlugins()
    {
        _published = PublishedHost.Create("hostile");
        _work = _published.Work;
        _host = _published.Folder;
        _plugins = _published.Plugins;
        var fixtures = Path.Combine(AppContext.BaseDirectory, "fixtures");
        Copy(Path.Combine(fixtures, "Hostile"), Path.Combine(_plugins, "hostile"));
        Copy(Path.Combine(fixtures, "Hijack"), Path.Combine(_plugins, "acme-fs"));
        Copy(Path.Combine(fixtures, "Hijack"), Path.Combine(_plugins, "hp-name-s3"));

        // Metadata that would abort the runtime natively if it ever reached the resolver.
        Copy(Path.Combine(fixtures, "ThrowingFactory"), Path.Combine(_plugins, "bad-deps"));
        File.WriteAllText(Directory.GetFiles(Path.Combine(_plugins, "bad-deps"), "*.deps.json").Single(), "{}");

        // Links that lead nowhere, or round in a circle.
        File.CreateSymbolicLink(Path.Combine(_plugins, "dangling"), Path.Combine(_work, "no-such-folder"));
        File.CreateSymbolicLink(Path.Combine(_plugins, "loop-a"), Path.Combine(_plugins, "loop-b"));
        File.CreateSymbolicLink(Path.Combine(_plugins, "loop-b"), Path.Combine(_plugins, "loop-a"));

        File.WriteAllText(Config("fs"), $"storage:\n  filesystem:\n    rootdirectory: {Path.Combine(_work, "data")}\nplugins:\n  calltimeout: 2s\n");
        File.WriteAllText(Config("inmemory"), "storage:\n  inmemory: {}\nplugins:\n  calltimeout: 2s\n");
    }

    [OneTimeTearDown]
    public void RemoveScratch() => _published.Dispose();

    [Test]
    public async Task Drivers_lists_from_metadata_reports_every_bad_folder_and_lets_no_name_be_stolen()
    {
        var (exit, stdout, _, elapsed, _) = await RunAsync("--config", Config("fs"), "drivers");

        elapsed.ShouldBeLessThan(CommandLimit);
        exit.ShouldBe(3, "some plugins are broken or refused");
        foreach (var name in new[] { "azure", "filesystem", "inmemory", "oss", "rados", "s3", "swift" })
        {
            stdout.ShouldMatch($@"(?m)^  {name} +found +drivers: {name}\b.*\(bundled\)$");
        }

        stdout.ShouldContain("refused 'filesystem': driver name 'filesystem' belongs to the bundled plugin");
        stdout.ShouldContain("refused 's3': driver name 's3' belongs to the bundled plugin");
        stdout.ShouldMatch(@"refused 'contested': driver name 'contested' is claimed by \S+acme-fs and \S+hp-name-s3: none of them is used");
        stdout.ShouldMatch(@"(?m)^  bad-deps +BROKEN");
        stdout.ShouldContain("ThrowingFactory.deps.json is malformed: runtimeTarget.name must be a non-empty string");
        stdout.ShouldContain("dangling symbolic link to");
        stdout.ShouldMatch(@"loop-a[\s\S]*cannot be followed");
        stdout.ShouldNotContain("HOSTILE", Case.Sensitive);
    }

    [Test]
    public async Task Drivers_as_json_is_valid_json_naming_each_plugin()
    {
        var (_, stdout, _, elapsed, _) = await RunAsync("--config", Config("fs"), "--output", "json", "drivers");

        elapsed.ShouldBeLessThan(CommandLimit);
        using var document = JsonDocument.Parse(stdout);
        var folders = document.RootElement.GetProperty("plugins").EnumerateArray().Select(p => Path.GetFileName(p.GetProperty("folder").GetString())).ToArray();
        folders.ShouldContain("hostile");
        folders.ShouldContain("filesystem");
    }

    [Test]
    public async Task Put_and_cat_on_the_filesystem_driver_run_no_other_plugin_and_keep_stdout_exact()
    {
        var content = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("registry-bytes-", 6_000)));
        var local = Path.Combine(_work, "upload.bin");
        await File.WriteAllBytesAsync(local, content);

        var put = await RunAsync("--config", Config("fs"), "put", "/hostile/check.bin", local);
        var cat = await RunAsync("--config", Config("fs"), "cat", "/hostile/check.bin");

        put.ExitCode.ShouldBe(0, put.Stderr);
        cat.ExitCode.ShouldBe(0, cat.Stderr);
        cat.Elapsed.ShouldBeLessThan(CommandLimit);
        cat.Raw.ShouldBe(content, "cat's stdout holds the file's bytes and nothing else");
    }

    [Test]
    public async Task The_inmemory_driver_selected_by_an_empty_yaml_map_works_beside_hostile_plugins()
    {
        var (exit, stdout, stderr, elapsed, _) = await RunAsync("--config", Config("inmemory"), "info");

        elapsed.ShouldBeLessThan(CommandLimit);
        exit.ShouldBe(0, stderr);
        stdout.ShouldContain("driver:       inmemory");
    }

    [TestCase("hostile-hang-create", "CreateAsync did not return within 2 s")]
    [TestCase("hostile-hang-ctor", "did not return within 2 s")]
    [TestCase("hostile-hang-name", "Name and Aliases did not return within 2 s")]
    [TestCase("hostile-throw-static", "InvalidOperationException: static constructor exploded on purpose")]
    [TestCase("hostile-lies", "declares driver 'hostile-lies' in its metadata but calls itself 'filesystem'")]
    public async Task A_selected_bad_plugin_fails_within_the_limit_naming_its_folder_and_cause(string driver, string cause)
    {
        var config = Config(driver);
        File.WriteAllText(config, $"storage:\n  {driver}: {{}}\nplugins:\n  calltimeout: 2s\n");

        var (exit, stdout, stderr, elapsed, _) = await RunAsync("--config", config, "stat", "/x");

        elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(12));
        exit.ShouldBe(3, stderr);
        stderr.ShouldContain("plugin " + Path.Combine(_plugins, "hostile"));
        stderr.ShouldContain(cause);
        stderr.ShouldNotContain("   at ", Case.Sensitive, "no stack trace reaches the user");
        stdout.ShouldBeEmpty();
    }

    [Test]
    public async Task Describe_runs_each_plugin_in_a_child_process_and_reports_how_each_bad_one_failed()
    {
        var (exit, stdout, stderr, elapsed, _) = await RunAsync("--config", Config("fs"), "drivers", "--describe");

        elapsed.ShouldBeLessThan(TimeSpan.FromMinutes(3));
        exit.ShouldBe(3, stderr);
        stdout.ShouldContain("filesystem.rootdirectory");
        stdout.ShouldContain("s3.bucket");
        stdout.ShouldContain("describe hostile-exit-static: FAILED: the plugin ended the describing process with exit code 7");
        stdout.ShouldContain("describe hostile-exit-name: FAILED: the plugin ended the describing process with exit code 7");
        stdout.ShouldContain("describe hostile-async-void: FAILED: the plugin crashed the describing process");
        stdout.ShouldContain("describe hostile-stack-overflow: FAILED: the plugin crashed the describing process");
        stdout.ShouldContain("describe hostile-hang-parameters: FAILED: hostile-hang-parameters: the factory's Parameters did not return within 2 s");
        stdout.ShouldContain("describe hostile-throw-parameters: FAILED: hostile-throw-parameters: the factory's Parameters failed: InvalidOperationException: parameters exploded on purpose");
        stdout.ShouldContain("describe hostile-hang-ctor: FAILED: ");
        stdout.ShouldMatch("describe hostile-hang-name: FAILED: .*Name and Aliases did not return within 2 s");
        stdout.ShouldNotContain("describe hostile-foreground-thread: FAILED", Case.Sensitive, "the host exits explicitly, so a plugin's foreground thread cannot keep it alive");
        stdout.ShouldNotContain("HOSTILE", Case.Sensitive, "a plugin's console output never reaches the command's stdout");
    }

    [Test]
    public async Task A_swapped_dependency_of_an_allow_listed_plugin_is_refused_before_it_runs()
    {
        var s3 = Path.Combine(_work, "trust", "plugins", "s3");
        Copy(Path.Combine(_plugins, "s3"), s3);
        var hash = await RunAsync("drivers", "--hash", s3);
        hash.ExitCode.ShouldBe(0, hash.Stderr);
        var digest = hash.Stdout.Split(' ')[0];
        var config = Path.Combine(_work, "trust", "s3.yaml");
        File.WriteAllText(config, $"storage:\n  s3:\n    bucket: b\n    region: us-east-1\n    regionendpoint: http://127.0.0.1:1\nplugins:\n  allowedsha256: [{digest}]\n");

        var before = await RunAsync("--config", config, "--plugins", Path.GetDirectoryName(s3)!, "info");
        before.Stderr.ShouldNotContain("refused");

        await using (var dependency = File.OpenWrite(Path.Combine(s3, "AWSSDK.Core.dll")))
        {
            dependency.Seek(0, SeekOrigin.End);
            dependency.WriteByte(0);
        }

        var after = await RunAsync("--config", config, "--plugins", Path.GetDirectoryName(s3)!, "info");
        after.ExitCode.ShouldBe(3, after.Stderr);
        after.Stderr.ShouldContain("refused: the plugin's file manifest has SHA-256");
        after.Stderr.ShouldNotContain(digest);
    }

    [Test]
    public async Task A_dependency_writable_by_others_refuses_the_plugin()
    {
        var s3 = Path.Combine(_work, "perm", "plugins", "s3");
        Copy(Path.Combine(_plugins, "s3"), s3);
        File.SetUnixFileMode(Path.Combine(s3, "AWSSDK.Core.dll"), (UnixFileMode)Convert.ToInt32("666", 8));

        var (exit, stdout, _, _, _) = await RunAsync("--plugins", Path.GetDirectoryName(s3)!, "drivers");

        exit.ShouldBe(3);
        stdout.ShouldContain("AWSSDK.Core.dll is writable by group and others (mode 0666)");
    }

    private string Config(string name) => Path.Combine(_work, name + ".yaml");

    private Task<RegstoreRun> RunAsync(params string[] args) => _published.RunAsync(args);

    private static void Copy(string from, string to) => PublishedHost.CopyDirectory(from, to);
}
