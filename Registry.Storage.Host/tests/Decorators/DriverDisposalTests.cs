using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Registry.Storage.Hosting.Decorators;
using Registry.Storage.Hosting.DependencyInjection;
using Registry.Storage.Kit;

namespace Registry.Storage.Host.Tests.Decorators;

/// <summary>Contract 1.1: whoever asked for a driver disposes it, and every decorator passes that on.</summary>
public sealed class DriverDisposalTests
{
    [Test]
    public async Task Disposing_the_outermost_decorator_disposes_the_driver_once_through_the_whole_chain()
    {
        using var rsa = RSA.Create(2048);
        var inner = new DisposalCountingDriver();
        var decorated = StorageDecorators.Apply(new ValidatingDriver(inner), new DecoratorOptions
        {
            Retry = new RetryOptions(),
            Timeout = TimeSpan.FromSeconds(30),
            MaxConcurrency = 8,
            Faults = new FaultInjectionOptions(),
            RedirectBaseUrl = new Uri("https://cdn.example.com/"),
            Rewrite = new RewriteOptions("https"),
            CloudFront = new CloudFrontOptions(new Uri("https://d.cloudfront.net/"), rsa.ExportRSAPrivateKeyPem(), "K1", TimeSpan.FromMinutes(20)),
        });
        var links = 0;
        for (var d = decorated; d is DelegatingStorageDriver delegating; d = delegating.Inner)
        {
            links++;
        }

        await decorated.DisposeAsync();

        links.ShouldBeGreaterThan(8, "every decorator is in the chain");
        inner.Disposals.ShouldBe(1);
    }

    [Test]
    public async Task A_container_disposes_the_driver_it_created()
    {
        var inner = new DisposalCountingDriver();
        var services = new ServiceCollection()
            .AddRegistryStorage(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["storage:counting:x"] = "1" }).Build());
        services.Configure<RegistryStorageOptions>(o => o.Factories.Add(new CountingFactory(inner)));
        var provider = services.BuildServiceProvider();
        var driver = await provider.GetRequiredService<StorageDriverProvider>().GetDriverAsync(CancellationToken.None);
        await driver.StatAsync("/");

        await provider.DisposeAsync();

        inner.Disposals.ShouldBe(1);
    }

    private sealed class CountingFactory(IStorageDriver driver) : IStorageDriverFactory
    {
        public string Name => "counting";

        public ValueTask<IStorageDriver> CreateAsync(DriverParameters parameters, CancellationToken cancellationToken = default) => ValueTask.FromResult(driver);
    }

    private sealed class DisposalCountingDriver() : DelegatingStorageDriver(InMemoryPlugin.Registry.CreateAsync("inmemory", new Dictionary<string, object?>()).GetAwaiter().GetResult())
    {
        public int Disposals { get; private set; }

        public override string Name => "counting";

        public override ValueTask DisposeAsync()
        {
            Disposals++;
            return base.DisposeAsync();
        }
    }
}
