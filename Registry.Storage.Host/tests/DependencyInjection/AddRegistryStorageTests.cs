using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Registry.Storage.Hosting.Decorators;
using Registry.Storage.Hosting.DependencyInjection;
using Registry.Storage.Host.Tests.Decorators;
using Registry.Storage.Kit;

namespace Registry.Storage.Host.Tests.DependencyInjection;

public class AddRegistryStorageTests
{
    private static string _plugins = "";

    [OneTimeSetUp]
    public void CopyPlugin() => _plugins = InMemoryPlugin.PluginsDirectory();

    [OneTimeTearDown]
    public void RemovePlugin() => Directory.Delete(_plugins, recursive: true);

    private static IConfiguration Config(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    private static void ValidateOnStart(IServiceProvider provider) => provider.GetRequiredService<IStartupValidator>().Validate();

    [Test]
    public async Task The_configured_plugin_driver_resolves_once_with_its_decorators()
    {
        var services = new ServiceCollection().AddRegistryStorage(Config(
            ("regstore:plugins", _plugins),
            ("storage:inmemory:rootdirectory", "/app"),
            ("middleware:storage:0:name", "maxthreads"),
            ("middleware:storage:0:options:maxthreads", "4")));
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        ValidateOnStart(provider);

        var driver = provider.GetRequiredService<IStorageDriver>();
        provider.GetRequiredService<IStorageDriver>().ShouldBeSameAs(driver);
        driver.Name.ShouldBe("inmemory");
        driver.ShouldBeOfType<LoggingDriver>();
        var chain = new List<Type>();
        for (var d = driver; d is DelegatingStorageDriver delegating; d = delegating.Inner)
        {
            chain.Add(d.GetType());
        }

        chain.ShouldContain(typeof(ConcurrencyLimitDriver));
        await driver.PutContentAsync("/hello", new byte[] { 1 });
        (await provider.GetRequiredService<StorageDriverProvider>().GetDriverAsync(CancellationToken.None)).ShouldBeSameAs(driver);
        (await driver.StatAsync("/hello")).Size.ShouldBe(1);
        provider.GetRequiredService<DriverRegistry>().Names.ShouldBe(["inmemory"]);
    }

    [Test]
    public void Startup_validation_reports_a_missing_driver_and_bad_middleware_together()
    {
        var services = new ServiceCollection().AddRegistryStorage(Config(
            ("regstore:plugins", _plugins),
            ("middleware:storage:0:name", "bogus")));
        using var provider = services.BuildServiceProvider();

        var error = Should.Throw<OptionsValidationException>(() => ValidateOnStart(provider));
        error.Failures.ShouldBe([
            "middleware: parameter 'name' has invalid value bogus: expected one of logging, metrics, tracing, retry, timeout, maxthreads, faultinjection, redirect, rewrite, cloudfront",
            "no storage driver configured: set storage: { <driver>: { ... } } (e.g. filesystem, s3, azure) or RegistryStorageOptions.Driver",
        ], ignoreOrder: true);
    }

    [Test]
    public void Startup_validation_reports_two_drivers_and_a_missing_plugins_directory()
    {
        using var twoDrivers = new ServiceCollection().AddRegistryStorage(Config(
            ("regstore:plugins", _plugins), ("storage:s3:bucket", "b"), ("storage:azure:container", "c"))).BuildServiceProvider();
        Should.Throw<OptionsValidationException>(() => ValidateOnStart(twoDrivers)).Message
            .ShouldContain("the storage section names more than one driver (azure, s3): expected exactly one");

        using var noPlugins = new ServiceCollection().AddRegistryStorage(Config(
            ("regstore:plugins", "/no/such/plugins"), ("storage:s3:bucket", "b"))).BuildServiceProvider();
        Should.Throw<OptionsValidationException>(() => ValidateOnStart(noPlugins)).Message
            .ShouldContain("the plugins directory /no/such/plugins does not exist, so driver 's3' cannot be loaded");
    }

    [Test]
    public void A_driver_no_plugin_provides_fails_on_resolve_listing_what_is_registered()
    {
        using var provider = new ServiceCollection().AddRegistryStorage(Config(
            ("regstore:plugins", _plugins), ("storage:gcs:bucket", "b"))).BuildServiceProvider();
        ValidateOnStart(provider);

        Should.Throw<InvalidStorageDriverException>(() => provider.GetRequiredService<IStorageDriver>())
            .Message.ShouldBe("gcs: no storage driver is registered under this name; registered: inmemory");
    }

    [Test]
    public async Task Code_configuration_with_an_in_process_factory_needs_no_plugins_directory()
    {
        var factory = InMemoryPlugin.Registry.Find("inmemory").ShouldNotBeNull();
        await using var provider = new ServiceCollection().AddRegistryStorage(o =>
        {
            o.PluginsDirectory = "/no/such/plugins";
            o.Driver = "inmemory";
            o.Parameters["rootdirectory"] = "/code";
            o.Factories.Add(factory);
            o.Decorators = DecoratorOptions.Default with { Logging = false, Retry = new RetryOptions(2) };
        }).BuildServiceProvider();
        ValidateOnStart(provider);

        var driver = provider.GetRequiredService<IStorageDriver>();
        driver.ShouldBeOfType<TracingDriver>();
        await driver.PutContentAsync("/x", new byte[2]);
        (await driver.GetContentAsync("/x")).Length.ShouldBe(2);
    }

    [Test]
    public void Code_configuration_with_out_of_range_decorators_fails_validation()
    {
        using var provider = new ServiceCollection().AddRegistryStorage(o =>
        {
            o.Driver = "inmemory";
            o.PluginsDirectory = _plugins;
            o.Decorators = new DecoratorOptions { MaxConcurrency = 0, Timeout = TimeSpan.Zero };
        }).BuildServiceProvider();

        Should.Throw<OptionsValidationException>(() => ValidateOnStart(provider)).Failures.ShouldBe([
            "middleware timeout: must be positive, got 00:00:00",
            "middleware maxthreads: must be at least 1, got 0",
        ]);
    }
}
