using Registry.Storage.Drivers.InMemory;

namespace Registry.Storage.Conformance.Tests;

/// <summary>
/// Runs single tests of <see cref="StorageDriverConformance"/> by hand — root, SetUp, test,
/// TearDown, as NUnit would — against inmemory, optionally wrapped in a deliberately broken
/// decorator, so the meta tests can check the suite both passes a correct driver and fails a
/// broken one.
/// </summary>
/// <remarks>
/// The empty <see cref="TestFixtureSourceAttribute"/> keeps NUnit from discovering this class
/// as a fixture of its own (it inherits <c>[TestFixture]</c>); only the meta tests run it.
/// </remarks>
[TestFixtureSource(nameof(NotAFixture))]
public sealed class SuiteHarness(Func<IStorageDriver, IStorageDriver>? wrap) : StorageDriverConformance
{
    private readonly string _store = "conformance-meta-" + Guid.NewGuid().ToString("N");

    /// <summary>No fixture instances: NUnit must not run this class itself.</summary>
    public static IEnumerable<object> NotAFixture => [];

    /// <summary>The current test's driver, for tests that inspect what is stored.</summary>
    public IStorageDriver CurrentDriver => Driver;

    /// <summary>Runs <paramref name="test"/> with the suite's lifecycle around it.</summary>
    public static async Task RunAsync(Func<IStorageDriver, IStorageDriver>? wrap, Func<SuiteHarness, Task> test)
    {
        var suite = new SuiteHarness(wrap);
        await suite.CreateRootAsync();
        await suite.CreateTestDriverAsync();
        try
        {
            await test(suite);
        }
        finally
        {
            await suite.CheckNothingLeftBehindAsync();
        }
    }

    /// <inheritdoc />
    protected override async ValueTask<IStorageDriver> CreateDriverAsync(string rootName, CancellationToken cancellationToken)
    {
        var driver = await new InMemoryDriverFactory().CreateAsync(
            new DriverParameters(InMemoryDriver.DriverName, new Dictionary<string, object?>
            {
                ["rootdirectory"] = "/" + rootName,
                ["store"] = _store,
            }),
            cancellationToken);
        return wrap is null ? driver : wrap(driver);
    }
}
