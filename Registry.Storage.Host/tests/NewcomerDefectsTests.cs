#pragma warning disable CA1416 // Linux only: [Platform(Include = "Linux")]
using System.Text.Json;

namespace Registry.Storage.Host.Tests;

/// <summary>
/// Issue 18's defects, each pinned through the published <c>regstore</c> (and the conformance runner
/// beside it) as a newcomer runs them: the exit code the README's table promises and a message that
/// names what went wrong. Item numbers refer to the issue.
/// </summary>
[NonParallelizable]
[Platform(Include = "Linux")]
public sealed class NewcomerDefectsTests
{
    private PublishedHost _host = null!;
    private string _fs = null!;

    [OneTimeSetUp]
    public void CopyPublishedHost()
    {
        _host = PublishedHost.Create("newcomer", withRunner: true);
        _fs = _host.WriteConfig("fs", $"storage:\n  filesystem:\n    rootdirectory: {Path.Combine(_host.Work, "data")}\n");
    }

    [OneTimeTearDown]
    public void RemoveScratch() => _host.Dispose();

    private Task<RegstoreRun> Fs(params string[] args) => _host.RunAsync(["--config", _fs, .. args]);

    private static void ShouldBeUsageError(RegstoreRun run, string expected)
    {
        run.ExitCode.ShouldBe(2, run.Stderr);
        run.Stderr.ShouldContain(expected, Case.Insensitive);
        run.Stderr.ShouldNotContain("   at ", Case.Sensitive, "no stack trace");
    }

    // 1, 3, 5: the runner's filter selects test cases, a local-folder driver's default root is under
    // the temp folder, and a missing plugin folder is a message.
    [Test]
    public async Task Conformance_filter_selects_test_cases_roots_default_under_temp_and_a_missing_folder_is_named()
    {
        var inmemory = Path.Combine(_host.Plugins, "inmemory");
        var none = await _host.RunAsync("conformance", "--plugin", inmemory, "-p", "store=newcomer", "--filter", "^NoSuchTest$");
        none.ExitCode.ShouldBe(0, none.Stderr);
        none.Stdout.TrimEnd().ShouldEndWith("0 passed, 0 failed, 0 skipped");

        var one = await _host.RunAsync("conformance", "--plugin", Path.Combine(_host.Plugins, "filesystem"), "--filter", "^StatCall$");
        one.ExitCode.ShouldBe(0, one.Stderr + one.Stdout);
        one.Stdout.ShouldContain($"roots under {Path.Combine(Path.GetTempPath(), "regstore-conformance")}");
        one.Stdout.TrimEnd().ShouldEndWith("1 passed, 0 failed, 0 skipped");

        var missing = await _host.RunAsync("conformance", "--plugin", "/nonexistent");
        missing.ExitCode.ShouldBe(3);
        missing.Stderr.ShouldContain("plugin /nonexistent failed to load: no such plugin folder");
        missing.Stderr.ShouldNotContain("   at ", Case.Sensitive);
    }

    // 2: a driver that declares no rootdirectory and rejects unknown parameters is never given one.
    [Test]
    public async Task Conformance_gives_a_strict_driver_only_the_parameters_it_declares()
    {
        var strict = Path.Combine(_host.Work, "strict-plugin");
        PublishedHost.CopyDirectory(Path.Combine(AppContext.BaseDirectory, "fixtures", "StrictParameters"), strict);

        var run = await _host.RunAsync("conformance", "--plugin", strict, "--filter", "^(StatCall|PutContentMultipleTimes)$");

        run.ExitCode.ShouldBe(0, run.Stdout + run.Stderr);
        run.Stdout.ShouldContain("no rootdirectory parameter");
        run.Stdout.ShouldNotContain("unknown parameter");
        run.Stdout.TrimEnd().ShouldEndWith("2 passed, 0 failed, 0 skipped");
    }

    // 4: the inmemory plugin with no parameters passes the whole suite (it declares resumable writes only with a shared store).
    [Test]
    public async Task Conformance_of_the_inmemory_plugin_with_no_parameters_passes_everything()
    {
        var run = await _host.RunAsync("conformance", "--plugin", Path.Combine(_host.Plugins, "inmemory"), "--large-stream-size", "64MiB");

        run.ExitCode.ShouldBe(0, run.Stdout);
        run.Stdout.TrimEnd().ShouldMatch(@"\n[1-9]\d* passed, 0 failed, 0 skipped$");
    }

    // 22: conformance and bench honour -o json given before the command (forwarded), with JSON errors.
    [Test]
    public async Task Conformance_and_bench_print_json_lines_under_output_json_given_before_the_command()
    {
        var run = await _host.RunAsync("-o", "json", "conformance", "--plugin", Path.Combine(_host.Plugins, "inmemory"), "-p", "store=json", "--filter", "^StatCall$");

        run.ExitCode.ShouldBe(0, run.Stderr);
        var lines = run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        lines.First().GetProperty("type").GetString().ShouldBe("run");
        lines.Single(l => l.GetProperty("type").GetString() == "test").GetProperty("outcome").GetString().ShouldBe("passed");
        lines.Last().GetProperty("passed").GetInt32().ShouldBe(1);

        var bench = await _host.RunAsync("--output", "json", "bench", "--plugin", Path.Combine(_host.Plugins, "inmemory"), "--only", "List5");
        bench.ExitCode.ShouldBe(0, bench.Stderr);
        var result = JsonDocument.Parse(bench.Stdout.Trim()).RootElement;
        result.GetProperty("name").GetString().ShouldBe("List5");
        result.GetProperty("operationsPerSecond").GetDouble().ShouldBeGreaterThan(0);

        var missing = await _host.RunAsync("-o", "json", "conformance", "--plugin", "/nonexistent");
        missing.ExitCode.ShouldBe(3);
        JsonDocument.Parse(missing.Stderr.Trim()).RootElement.GetProperty("error").GetString()!.ShouldContain("no such plugin folder");
    }

    // 9, 10: an explicit config without a storage section, and a malformed file, are usage errors with where and what.
    [Test]
    public async Task A_config_without_storage_or_with_bad_syntax_is_a_usage_error_naming_file_line_and_column()
    {
        var empty = _host.WriteConfig("empty", "log:\n  level: info\n");
        ShouldBeUsageError(await _host.RunAsync("--config", empty, "info"), $"{empty} has no storage section");

        var bad = _host.WriteConfig("bad", "storage:\n  filesystem:\n    rootdirectory: [unclosed\n");
        var run = await _host.RunAsync("--config", bad, "info");
        ShouldBeUsageError(run, bad);
        run.Stderr.ShouldMatch(@"line \d+");

        var json = Path.Combine(_host.Work, "truncated.json");
        await File.WriteAllTextAsync(json, "{\"storage\": {\"filesystem\": {\"rootdirectory\": ");
        ShouldBeUsageError(await _host.RunAsync("--config", json, "info"), json);
    }

    // 11, 12: command-line overrides win; info names the configuration's source and the parameters' declared names.
    [Test]
    public async Task Overrides_win_and_info_names_the_environment_source_and_declared_parameter_names()
    {
        var elsewhere = Path.Combine(_host.Work, "override-root");
        var put = await _host.RunAsync("--config", _fs, "--set", "storage:filesystem:rootdirectory=" + elsewhere, "put", "/o", _fs);
        put.ExitCode.ShouldBe(0, put.Stderr);
        File.Exists(Path.Combine(elsewhere, "o")).ShouldBeTrue("the command-line override chose the root");

        var envRoot = Path.Combine(_host.Work, "env-root");
        var info = await _host.RunAsync(["info"], new Dictionary<string, string>
        {
            ["REGISTRY_STORAGE"] = "filesystem",
            ["REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY"] = envRoot,
        });
        info.ExitCode.ShouldBe(0, info.Stderr);
        info.Stdout.ShouldContain("REGISTRY_STORAGE");
        info.Stdout.ShouldNotContain("built-in default");
        info.Stdout.ShouldMatch($@"(?m)^\s+rootdirectory\s+{envRoot}$");
        info.Stdout.ShouldNotContain("ROOTDIRECTORY", Case.Sensitive);
    }

    // 13, 14, 15, 21: bad or dead backends — named parameters, no "transient" for a configuration error,
    // a real request behind info's health line, one bounded message for a dead Azure endpoint.
    [Test]
    public async Task Bad_and_dead_backends_are_named_with_the_parameter_or_endpoint()
    {
        var badKey = _host.WriteConfig("azure-key", "storage:\n  azure:\n    accountname: acct\n    accountkey: not-base64!\n    container: abc\n");
        var key = await _host.RunAsync("--config", badKey, "info");
        ShouldBeUsageError(key, "accountkey");
        key.Stderr.ShouldContain("azure");
        key.Stderr.ShouldNotContain("not-base64!");

        var deadS3 = _host.WriteConfig("s3-dead", "storage:\n  s3:\n    accesskey: a\n    secretkey: b\n    region: us-east-1\n    bucket: bkt\n    regionendpoint: http://127.0.0.1:1\n");
        var s3 = await _host.RunAsync("--config", deadS3, "info");
        s3.ExitCode.ShouldNotBe(0, "a backend nobody answers for is not healthy");
        (s3.Stdout + s3.Stderr).ShouldContain("127.0.0.1:1");
        (s3.Stdout + s3.Stderr).ShouldNotContain("stat /: ok");

        var deadOss = _host.WriteConfig("oss-dead", "storage:\n  oss:\n    accesskeyid: a\n    accesskeysecret: b\n    region: oss-cn-hangzhou\n    bucket: bkt\n    endpoint: http://127.0.0.1:1\n");
        var oss = await _host.RunAsync("--config", deadOss, "info");
        oss.ExitCode.ShouldNotBe(0);
        (oss.Stdout + oss.Stderr).ShouldContain("127.0.0.1:1");
        (oss.Stdout + oss.Stderr).ShouldNotContain("bkt.127.0.0.1", Case.Insensitive, "an IP endpoint is addressed path-style");

        var deadAzure = _host.WriteConfig("azure-dead", $"storage:\n  azure:\n    accountname: devstoreaccount1\n    accountkey: {Convert.ToBase64String(new byte[64])}\n    container: abc\n    serviceurl: http://127.0.0.1:1/devstoreaccount1\n");
        var azure = await _host.RunAsync("--config", deadAzure, "info");
        azure.ExitCode.ShouldBe(1, azure.Stderr);
        azure.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(15), "the SDK's retry is bounded");
        azure.Stderr.ShouldContain("azure: create container abc at http://127.0.0.1:1 failed after 4 attempts");
        azure.Stderr.ShouldNotContain("ClientOptions");
    }

    // 16, 17: usage errors exit 2 with the parser's words; paths that look like Windows switches are paths.
    [Test]
    public async Task Usage_errors_exit_2_and_slash_h_is_a_path()
    {
        ShouldBeUsageError(await Fs("frobnicate"), "frobnicate");
        ShouldBeUsageError(await Fs("stat"), "Required argument missing for command: 'stat'");
        ShouldBeUsageError(await Fs("--set", "storage", "info"), "--set expects key=value");
        ShouldBeUsageError(await Fs("-o", "yaml", "ls", "/"), "yaml");
        var offset = await Fs("cat", "/f", "--offset", "abc");
        ShouldBeUsageError(offset, "--offset expects a whole number of at least 0, got 'abc'");
        offset.Stderr.ShouldNotContain("System.Int64");

        var rm = await Fs("rm", "/h");
        rm.ExitCode.ShouldBe(1, rm.Stderr);
        rm.Stderr.ShouldContain("path not found: /h");
        rm.Stdout.ShouldNotContain("Usage:");

        // '?' is outside distribution's path alphabet: named as a bad path, never taken as a request for help.
        var question = await Fs("rm", "/?");
        ShouldBeUsageError(question, "invalid path: \"/?\"");
        question.Stdout.ShouldNotContain("Usage:");
    }

    // 18, 19, 20: ls and du on a file show the file; put of a directory and mv below itself are named usage errors.
    [Test]
    public async Task Files_directories_and_moves_below_themselves_are_described_as_what_they_are()
    {
        var put = await Fs("put", "/dir/file", _fs);
        put.ExitCode.ShouldBe(0, put.Stderr);

        var ls = await Fs("ls", "/dir/file");
        ls.ExitCode.ShouldBe(0, ls.Stderr);
        ls.Stdout.ShouldContain("/dir/file");
        var du = await Fs("du", "/dir/file");
        du.ExitCode.ShouldBe(0, du.Stderr);
        du.Stdout.ShouldContain("/dir/file is a file");

        ShouldBeUsageError(await Fs("put", "/x", _host.Work), "is a directory: put uploads one file");
        ShouldBeUsageError(await Fs("mv", "/dir", "/dir/inside"), "a path cannot move below itself");
    }

    // 23: on a terminal put and cat draw bytes, rate, percentage and ETA; not on a pipe, nor with -o json.
    [Test]
    public async Task Put_and_cat_draw_progress_with_rate_percentage_and_eta_only_on_a_terminal()
    {
        var big = Path.Combine(_host.Work, "big.bin");
        await using (var file = File.Create(big))
        {
            file.SetLength(64L << 20);
        }

        var put = await _host.RunOnTerminalAsync($"\"$REGSTORE\" --config '{_fs}' put /big '{big}'");
        put.ExitCode.ShouldBe(0, put.Stdout);
        put.Stdout.ShouldMatch(@"64(\.0)? MiB/64(\.0)? MiB 100\.0%, [\d.]+ [KMG]iB/s ETA \d+:\d\d:\d\d");

        var cat = await _host.RunOnTerminalAsync($"\"$REGSTORE\" --config '{_fs}' cat /big > /dev/null");
        cat.ExitCode.ShouldBe(0, cat.Stdout);
        cat.Stdout.ShouldMatch(@"100\.0%, [\d.]+ [KMG]iB/s ETA");

        var piped = await Fs("put", "/big2", big);
        piped.ExitCode.ShouldBe(0, piped.Stderr);
        piped.Stderr.ShouldNotContain("ETA");
    }

    // 22: streams are JSON Lines under -o json (ls -R as walk), and errors are JSON on stderr.
    [Test]
    public async Task Json_output_streams_are_json_lines_and_errors_are_json()
    {
        (await Fs("put", "/tree/a", _fs)).ExitCode.ShouldBe(0);
        (await Fs("put", "/tree/b/c", _fs)).ExitCode.ShouldBe(0);

        foreach (var args in new[] { new[] { "-o", "json", "ls", "-R", "/tree" }, ["-o", "json", "walk", "/tree"] })
        {
            var run = await Fs(args);
            run.ExitCode.ShouldBe(0, run.Stderr);
            var paths = run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("path").GetString()).ToArray();
            paths.ShouldContain("/tree/a");
            paths.ShouldContain("/tree/b/c");
        }

        var missing = await Fs("-o", "json", "stat", "/no/such");
        missing.ExitCode.ShouldBe(1);
        var error = JsonDocument.Parse(missing.Stderr.Trim()).RootElement;
        error.GetProperty("error").GetString()!.ShouldContain("/no/such");
        error.GetProperty("exitCode").GetInt32().ShouldBe(1);
    }
}
