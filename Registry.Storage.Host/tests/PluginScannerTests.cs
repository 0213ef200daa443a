using System.Runtime.Loader;
using Registry.Storage.Hosting.Plugins;

namespace Registry.Storage.Host.Tests;

/// <summary>Loading real plugin folders (published by this project's build from Fixtures/ and plugins/InMemory).</summary>
public class PluginScannerTests
{
    private const string InMemory = "Registry.Storage.Drivers.InMemory";

    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "fixtures", name);

    private string _scratch = null!;

    [SetUp]
    public void CreateScratch() => _scratch = Directory.CreateTempSubdirectory("regstore-plugins-").FullName;

    [TearDown]
    public void RemoveScratch() => Directory.Delete(_scratch, recursive: true);

    private string CopyFixture(string name, string? as_ = null)
    {
        var target = Path.Combine(_scratch, as_ ?? name);
        foreach (var file in Directory.GetFiles(Fixture(name), "*", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(target, Path.GetRelativePath(Fixture(name), file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }

        return target;
    }

    [Test]
    public void Two_plugins_get_their_own_versions_of_the_same_dependency()
    {
        var registry = new DriverRegistry();
        var v1 = new PluginScanner().Load(Fixture("ConflictingDepV1"), registry);
        var v2 = new PluginScanner().Load(Fixture("ConflictingDepV2"), registry);
        v1.Status.ShouldBe(PluginStatus.Loaded, v1.Error);
        v2.Status.ShouldBe(PluginStatus.Loaded, v2.Error);
        registry.Find("conflicting-v1")!.Parameters[0].Description.ShouldStartWith("12.0.0");
        registry.Find("conflicting-v2")!.Parameters[0].Description.ShouldStartWith("13.0.0");
    }

    [Test]
    public void A_plugins_types_never_leak_into_the_default_context()
    {
        var registry = new DriverRegistry();
        new PluginScanner().Load(Fixture("ConflictingDepV1"), registry).Status.ShouldBe(PluginStatus.Loaded);
        var factory = registry.Find("conflicting-v1").ShouldBeOfType<BoundedFactory>().Inner;
        AssemblyLoadContext.GetLoadContext(factory.GetType().Assembly).ShouldNotBe(AssemblyLoadContext.Default);
        AssemblyLoadContext.Default.Assemblies.Select(a => a.GetName().Name).ShouldNotContain("ConflictingDepV1");
        AssemblyLoadContext.Default.Assemblies.Select(a => a.GetName().Name).ShouldNotContain("Newtonsoft.Json");

        // The contract itself is shared: the plugin's IStorageDriverFactory is the host's.
        factory.ShouldBeAssignableTo<IStorageDriverFactory>();
    }

    [Test]
    public void The_inmemory_plugin_loads_and_creates_a_working_driver()
    {
        var registry = new DriverRegistry();
        var result = new PluginScanner().Load(Fixture(InMemory), registry);
        result.Status.ShouldBe(PluginStatus.Loaded, result.Error);
        result.DriverNames.ShouldContain("inmemory");
        result.ContractVersion!.Major.ShouldBe(StorageDriverContract.Major);
    }

    [Test]
    public async Task A_driver_from_a_plugin_reads_what_it_wrote()
    {
        var registry = new DriverRegistry();
        new PluginScanner().Load(Fixture(InMemory), registry);
        var driver = await registry.CreateAsync("inmemory", new Dictionary<string, object?>());
        await driver.PutContentAsync("/hello", "world"u8.ToArray());
        (await driver.GetContentAsync("/hello")).ShouldBe("world"u8.ToArray());
    }

    [Test]
    public void An_empty_folder_is_reported_and_skipped()
    {
        var empty = Directory.CreateDirectory(Path.Combine(_scratch, "empty")).FullName;
        var result = new PluginScanner().Load(empty, new DriverRegistry());
        result.Status.ShouldBe(PluginStatus.Failed);
        result.Error.ShouldBe("no plugin assembly: the folder holds no .dll");
    }

    [Test]
    public void A_garbage_dll_is_reported_and_the_other_plugins_still_load()
    {
        var garbage = Directory.CreateDirectory(Path.Combine(_scratch, "garbage")).FullName;
        File.WriteAllBytes(Path.Combine(garbage, "garbage.dll"), [.. Enumerable.Range(0, 4096).Select(i => (byte)(i * 7))]);
        CopyFixture(InMemory);
        var catalog = PluginCatalog.Scan(_scratch);
        var broken = catalog.Plugins.Single(r => r.Folder.EndsWith("garbage", StringComparison.Ordinal));
        broken.Error.ShouldNotBeNull().ShouldStartWith("cannot read the plugin assembly garbage.dll: ");
        broken.Error.ShouldContain("garbage.dll");
        catalog.Names.ShouldContain("inmemory");
    }

    [Test]
    public void A_missing_main_assembly_is_reported()
    {
        var folder = CopyFixture("NoFactory");
        File.Delete(Path.Combine(folder, "NoFactory.dll"));
        var result = new PluginScanner().Load(folder, new DriverRegistry());
        result.Status.ShouldBe(PluginStatus.Failed);
        result.Error.ShouldBe("NoFactory.deps.json names NoFactory.dll, which is missing");
    }

    [Test]
    public void A_plugin_without_a_factory_is_reported()
    {
        var result = new PluginScanner().Load(Fixture("NoFactory"), new DriverRegistry());
        result.Status.ShouldBe(PluginStatus.Failed);
        result.Error.ShouldBe("NoFactory.dll exports no public IStorageDriverFactory implementation");
    }

    [Test]
    public async Task A_plugin_built_for_another_architecture_is_reported_when_selected_and_the_other_plugins_still_load()
    {
        CopyFixture("ForeignArchitecture", "foreign");
        CopyFixture(InMemory);
        var registry = new DriverRegistry(PluginCatalog.Scan(_scratch));

        var failure = await Should.ThrowAsync<PluginLoadException>(() => registry.GetFactoryAsync("foreign-architecture"));

        failure.Folder.ShouldEndWith("foreign");
        failure.Message.ShouldContain("architecture is not compatible with the current process architecture");
        (await registry.GetFactoryAsync("inmemory")).Name.ShouldBe("inmemory");
    }

    [Test]
    public void A_throwing_factory_constructor_is_reported_with_its_message()
    {
        var result = new PluginScanner().Load(Fixture("ThrowingFactory"), new DriverRegistry());
        result.Status.ShouldBe(PluginStatus.Failed);
        result.Error!.ShouldContain("InvalidOperationException: factory constructor exploded on purpose");
    }

    [Test]
    public void A_hanging_factory_constructor_is_reported_without_hanging_the_host()
    {
        var scanner = new PluginScanner { Options = new PluginCatalogOptions { CallTimeout = TimeSpan.FromMilliseconds(300) } };
        var result = scanner.Load(Fixture("HangingFactory"), new DriverRegistry());
        result.Status.ShouldBe(PluginStatus.Failed);
        result.Error!.ShouldContain("did not return within");
    }

    [Test]
    public void A_missing_native_library_is_reported_by_name()
    {
        var result = new PluginScanner().Load(Fixture("MissingNative"), new DriverRegistry());
        result.Status.ShouldBe(PluginStatus.Failed);
        result.Error!.ShouldContain("DllNotFoundException");
        result.Error!.ShouldContain("libregstore-fixture-does-not-exist.so.1");
    }

    [Test]
    public void Two_plugins_claiming_one_name_keep_the_first_and_report_the_second()
    {
        var registry = new DriverRegistry();
        new PluginScanner().Load(Fixture("ConflictingDepV1"), registry).Status.ShouldBe(PluginStatus.Loaded);
        var duplicate = new PluginScanner().Load(Fixture("DuplicateName"), registry);
        duplicate.Status.ShouldBe(PluginStatus.Failed);
        duplicate.Error!.ShouldContain("driver name 'conflicting-v1' is registered by plugin 'ConflictingDepV1' and again by plugin 'DuplicateName'");
        registry.Find("conflicting-v1").ShouldBeOfType<BoundedFactory>().Folder.ShouldEndWith("ConflictingDepV1");
    }
}
