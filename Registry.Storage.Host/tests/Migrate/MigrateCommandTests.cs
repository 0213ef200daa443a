using System.Text.Json;
using Registry.Storage.Host.Cli;

namespace Registry.Storage.Host.Tests.Migrate;

[NonParallelizable] // swaps Console.Out
public class MigrateCommandTests
{
    private string _work = "";
    private string _plugins = "";

    [SetUp]
    public void CreateFolders()
    {
        _work = MigrationTree.TempFolder();
        _plugins = Path.Combine(_work, "plugins");
        foreach (var (name, folder) in new[] { ("filesystem", "Registry.Storage.Drivers.Filesystem"), ("inmemory", "Registry.Storage.Drivers.InMemory") })
        {
            Decorators.InMemoryPlugin.CopyDirectory(Path.Combine(AppContext.BaseDirectory, "fixtures", folder), Path.Combine(_plugins, name));
        }
    }

    [TearDown]
    public void RemoveFolders() => Directory.Delete(_work, recursive: true);

    private string Config(string name)
    {
        var root = Path.Combine(_work, name);
        var file = Path.Combine(_work, name + ".yaml");
        File.WriteAllText(file, $"storage:\n  filesystem:\n    rootdirectory: {root}\n");
        return file;
    }

    private async Task<(int ExitCode, string Stdout)> RunAsync(params string[] args)
    {
        var original = Console.Out;
        using var captured = new StringWriter();
        Console.SetOut(captured);
        try
        {
            var exit = await RegstoreCli.RunAsync([.. args, "--plugins", _plugins]);
            return (exit, captured.ToString());
        }
        finally
        {
            Console.SetOut(original);
        }
    }

    [Test]
    public async Task Migrate_then_check_through_the_command_line_with_json_output_and_documented_exit_codes()
    {
        var from = Config("source");
        var to = Config("destination");
        var source = await MigrationTree.FilesystemAsync(Path.Combine(_work, "source"));
        var (files, bytes) = await MigrationTree.WriteAsync(source, small: 30, large: 1, largeSize: 2 << 20);

        var (exit, stdout) = await RunAsync("migrate", "--from", from, "--to", to, "--transfers", "3", "--output", "json");
        exit.ShouldBe(0, stdout);
        var summary = JsonDocument.Parse(stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last()).RootElement;
        summary.GetProperty("type").GetString().ShouldBe("summary");
        summary.GetProperty("files").GetProperty("copied").GetInt64().ShouldBe(files);
        summary.GetProperty("bytesTransferred").GetInt64().ShouldBe(bytes);

        (await RunAsync("check", "--from", from, "--to", to)).ExitCode.ShouldBe(0);

        var destination = await MigrationTree.FilesystemAsync(Path.Combine(_work, "destination"));
        await destination.PutContentAsync(MigrationTree.Prefix + "/repositories/app0/_manifests/tags/latest/current/link", "sha256:changed"u8.ToArray());
        var (checkExit, checkOut) = await RunAsync("check", "--from", from, "--to", to);
        checkExit.ShouldBe(4);
        checkOut.ShouldContain("differing        /docker/registry/v2/repositories/app0/_manifests/tags/latest/current/link: size");

        (await RunAsync("migrate", "--from", from, "--to", to)).ExitCode.ShouldBe(4, "immutable by default");
        (await RunAsync("migrate", "--from", from, "--to", to, "--overwrite")).ExitCode.ShouldBe(0);
        (await RunAsync("check", "--from", from, "--to", to)).ExitCode.ShouldBe(0);
    }

    [Test]
    public async Task Copy_takes_a_sub_tree_and_bad_options_are_usage_errors()
    {
        var from = Config("source");
        var to = Config("destination");
        var source = await MigrationTree.FilesystemAsync(Path.Combine(_work, "source"));
        await MigrationTree.WriteAsync(source, small: 14, large: 0, largeSize: 0);

        var (exit, stdout) = await RunAsync("copy", "--from", from, "--to", to, MigrationTree.Prefix + "/repositories/app3");
        exit.ShouldBe(0, stdout);
        stdout.ShouldContain("copied 2 (");
        var destination = await MigrationTree.FilesystemAsync(Path.Combine(_work, "destination"));
        (await destination.ListSortedAsync(MigrationTree.Prefix + "/repositories")).ShouldBe([MigrationTree.Prefix + "/repositories/app3"]);

        (await RunAsync("migrate", "--from", from, "--to", to, "--bwlimit", "fast")).ExitCode.ShouldBe(2);
        (await RunAsync("migrate", "--from", Path.Combine(_work, "missing.yaml"), "--to", to)).ExitCode.ShouldBe(2);
    }
}
