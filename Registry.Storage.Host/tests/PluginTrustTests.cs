using Microsoft.Extensions.Configuration;
using System.Diagnostics;
using Registry.Storage.Hosting.Plugins;

namespace Registry.Storage.Host.Tests;

/// <summary>
/// The host refuses plugins that someone other than its own user could have replaced (group- or
/// world-writable folders/DLLs, another owner), and, with an allow-list, any DLL whose SHA-256
/// is not listed — each with a message an operator can act on. Real plugin folders, real modes.
/// </summary>
[Platform(Exclude = "Win")]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public class PluginTrustTests
{
    private const string InMemory = "Registry.Storage.Drivers.InMemory";

    private string _scratch = null!;

    [SetUp]
    public void CreateScratch() => _scratch = Directory.CreateTempSubdirectory("regstore-trust-").FullName;

    [TearDown]
    public void RemoveScratch() => Directory.Delete(_scratch, recursive: true);

    private string CopyInMemoryPlugin()
    {
        var source = Path.Combine(AppContext.BaseDirectory, "fixtures", InMemory);
        var target = Path.Combine(_scratch, InMemory);
        foreach (var file in Directory.GetFiles(source, "*", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
            File.SetUnixFileMode(destination, (UnixFileMode)Convert.ToInt32("644", 8));
        }

        File.SetUnixFileMode(target, (UnixFileMode)Convert.ToInt32("755", 8));
        return target;
    }

    private static string MainDll(string folder) => Path.Combine(folder, InMemory + ".dll");

    [Test]
    public void A_plugin_owned_by_the_host_user_and_writable_only_by_it_loads()
    {
        var result = new PluginScanner().Load(CopyInMemoryPlugin(), new DriverRegistry());
        result.Status.ShouldBe(PluginStatus.Loaded, result.Error);
    }

    [Test]
    public void A_group_writable_plugin_folder_is_refused_naming_the_folder_and_mode()
    {
        var folder = CopyInMemoryPlugin();
        File.SetUnixFileMode(folder, (UnixFileMode)Convert.ToInt32("775", 8));
        var registry = new DriverRegistry();

        var result = new PluginScanner().Load(folder, registry);

        result.Status.ShouldBe(PluginStatus.Failed);
        result.Error.ShouldNotBeNull().ShouldContain(folder);
        result.Error.ShouldContain("writable by its group (mode 0775)");
        registry.Names.ShouldNotContain("inmemory");
    }

    [Test]
    public void A_world_writable_plugin_dll_is_refused()
    {
        var folder = CopyInMemoryPlugin();
        File.SetUnixFileMode(MainDll(folder), (UnixFileMode)Convert.ToInt32("646", 8));

        var result = new PluginScanner().Load(folder, new DriverRegistry());

        result.Status.ShouldBe(PluginStatus.Failed);
        result.Error.ShouldNotBeNull().ShouldContain(MainDll(folder));
        result.Error.ShouldContain("writable by others (mode 0646)");
    }

    [Test]
    public void A_plugins_directory_writable_by_others_loads_nothing_and_says_why()
    {
        CopyInMemoryPlugin();
        File.SetUnixFileMode(_scratch, (UnixFileMode)Convert.ToInt32("777", 8));
        var catalog = PluginCatalog.Scan(_scratch);

        var only = catalog.Plugins.ShouldHaveSingleItem();
        only.Error.ShouldNotBeNull().ShouldContain("writable by group and others (mode 0777)");
        catalog.Names.ShouldNotContain("inmemory");
    }

    [Test]
    [Platform(Include = "Linux")]
    public async Task A_plugin_dll_owned_by_another_user_is_refused_naming_the_owner()
    {
        var folder = CopyInMemoryPlugin();
        using (var chown = Process.Start("chown", ["65534", MainDll(folder)]))
        {
            await chown.WaitForExitAsync();
            chown.ExitCode.ShouldBe(0, "the test changes a file's owner, which needs root (as CI runs)");
        }

        var result = new PluginScanner().Load(folder, new DriverRegistry());

        result.Status.ShouldBe(PluginStatus.Failed);
        result.Error.ShouldNotBeNull().ShouldContain("owned by uid 65534");
    }

    [Test]
    public void A_dll_missing_from_the_allow_list_is_refused_with_its_hash_printed()
    {
        var folder = CopyInMemoryPlugin();
        var scanner = new PluginScanner { Options = new PluginCatalogOptions { Trust = new PluginTrustOptions { AllowedSha256 = [new string('0', 64)] } } };

        var result = scanner.Load(folder, new DriverRegistry());

        result.Status.ShouldBe(PluginStatus.Failed);
        result.Error.ShouldNotBeNull().ShouldContain(PluginTrust.ManifestDigest(folder));
        result.Error.ShouldContain(PluginTrustOptions.AllowedSha256Key);
    }

    [Test]
    public void A_dll_on_the_allow_list_loads_whatever_the_case_of_the_listed_hash()
    {
        var folder = CopyInMemoryPlugin();
        var scanner = new PluginScanner { Options = new PluginCatalogOptions { Trust = new PluginTrustOptions { AllowedSha256 = [PluginTrust.ManifestDigest(folder).ToUpperInvariant()] } } };
        var registry = new DriverRegistry();

        var result = scanner.Load(folder, registry);

        result.Status.ShouldBe(PluginStatus.Loaded, result.Error);
        registry.Names.ShouldContain("inmemory");
    }

    [Test]
    public void The_allow_list_and_permission_switch_are_read_from_configuration()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["plugins:allowedsha256:0"] = "aa",
            ["plugins:allowedsha256:1"] = "bb",
            ["plugins:requiresafepermissions"] = "false",
        }).Build();

        var options = PluginTrustOptions.FromConfiguration(configuration);

        options.AllowedSha256.ShouldBe(["aa", "bb"]);
        options.RequireSafePermissions.ShouldBeFalse();
        PluginTrustOptions.FromConfiguration(new ConfigurationBuilder().Build()).ShouldBe(PluginTrustOptions.Default);
    }
}
