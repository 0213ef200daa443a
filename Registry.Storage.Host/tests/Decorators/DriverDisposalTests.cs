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
        var decorated = StorageDecorators.Apply(new ValidatingDriver(inner), StorageDecoratorsTests.EveryDecorator(rsa));
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

/// <summary>An application's IMeterFactory receives the drivers' instruments.</summary>
public sealed class MeterFactoryTests
{
    [Test]
    public async Task Driver_metrics_are_published_on_the_meter_the_applications_factory_creates()
    {
        using var factory = new RecordingMeterFactory();
        var services = new ServiceCollection()
            .AddSingleton<System.Diagnostics.Metrics.IMeterFactory>(factory)
            .AddRegistryStorage(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["storage:inmemory:rootdirectory"] = "/metered" }).Build());
        services.Configure<RegistryStorageOptions>(o => o.Factories.Add(InMemoryPlugin.Registry.Find("inmemory")!));
        await using var provider = services.BuildServiceProvider();
        var measured = new List<string>();
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (factory.Created.Contains(instrument.Meter))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, _, _, _) => measured.Add(instrument.Name));
        listener.SetMeasurementEventCallback<double>((instrument, _, _, _) => measured.Add(instrument.Name));
        listener.Start();

        var driver = await provider.GetRequiredService<StorageDriverProvider>().GetDriverAsync(CancellationToken.None);
        await driver.PutContentAsync("/m", new byte[3]);

        factory.Created.ShouldHaveSingleItem().Name.ShouldBe(StorageTelemetry.Name);
        measured.ShouldContain(StorageTelemetry.Operations);
    }

    private sealed class RecordingMeterFactory : System.Diagnostics.Metrics.IMeterFactory
    {
        public List<System.Diagnostics.Metrics.Meter> Created { get; } = [];

        public System.Diagnostics.Metrics.Meter Create(System.Diagnostics.Metrics.MeterOptions options)
        {
            var meter = new System.Diagnostics.Metrics.Meter(options.Name, options.Version, options.Tags, this);
            Created.Add(meter);
            return meter;
        }

        public void Dispose()
        {
            foreach (var meter in Created)
            {
                meter.Dispose();
            }
        }
    }
}
