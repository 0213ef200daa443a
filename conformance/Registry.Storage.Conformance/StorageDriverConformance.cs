using System.Security.Cryptography;

namespace Registry.Storage.Conformance;

/// <summary>
/// Distribution's storage-driver suite (<c>testsuites.go</c>) plus the walk tests and the
/// guarantees this contract adds. A driver's test project subclasses it and supplies
/// <see cref="CreateDriverAsync"/>; every run works under a fresh random root.
/// </summary>
/// <remarks>
/// Lifecycle: each fixture instance picks a root name (<c>regstore-conformance-</c> plus 12
/// random hex digits) in <see cref="CreateRootAsync"/>; every test gets its own driver
/// (<see cref="CreateTestDriverAsync"/>), cleans up after itself as distribution's tests do,
/// and <see cref="CheckNothingLeftBehindAsync"/> then fails the test if anything is left
/// under <c>/</c> (distribution's <c>TearDownTest</c>; uploads too, where the driver lists them)
/// after removing it, so one failure
/// does not cascade into the next test.
/// </remarks>
[TestFixture]
[Category("Conformance")]
public abstract partial class StorageDriverConformance
{
    private readonly List<IStorageDriver> _extraDrivers = [];
    private IStorageDriver? _driver;

    /// <summary>
    /// Creates a driver whose root is an isolated location named <paramref name="rootName"/>
    /// (a single path-safe segment such as <c>regstore-conformance-3f2a…</c>): a temp folder
    /// for filesystem, a key prefix for object stores. Called again with the same name to get
    /// a fresh instance over the same data, as a new process would.
    /// </summary>
    protected abstract ValueTask<IStorageDriver> CreateDriverAsync(string rootName, CancellationToken cancellationToken);

    /// <summary>Sizes and switches; override to lower sizes for a slow backend.</summary>
    protected virtual ConformanceOptions Options { get; } = ConformanceOptions.FromEnvironment();

    /// <summary>The root name of this fixture instance (<c>regstore-conformance-</c> + 12 hex digits).</summary>
    protected string RootName { get; private set; } = NewRootName();

    /// <summary>The driver of the current test.</summary>
    protected IStorageDriver Driver => _driver ?? throw new InvalidOperationException("no driver: the test's [SetUp] has not run");

    /// <summary>The current test's cancellation token (NUnit cancels it on timeout).</summary>
    protected static CancellationToken Ct => TestContext.CurrentContext.CancellationToken;

    /// <summary>A fresh root name: <c>regstore-conformance-</c> plus 12 random hex digits.</summary>
    public static string NewRootName() =>
        "regstore-conformance-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));

    /// <summary>Picks this fixture's root and checks the driver can be created over it.</summary>
    [OneTimeSetUp]
    public async Task CreateRootAsync()
    {
        RootName = NewRootName();
        var driver = await CreateDriverAsync(RootName, CancellationToken.None);
        await DriverCleanup.DisposeAsync(driver);
    }

    /// <summary>Creates the driver the test uses.</summary>
    [SetUp]
    public async Task CreateTestDriverAsync()
    {
        _driver = await CreateDriverAsync(RootName, Ct);
    }

    /// <summary>
    /// Distribution's <c>TearDownTest</c>: fails when the test left anything under <c>/</c> — files,
    /// or uploads where the driver lists them. Removes what it finds first, so the next test starts
    /// from an empty root.
    /// </summary>
    [TearDown]
    public async Task CheckNothingLeftBehindAsync()
    {
        if (_driver is null)
        {
            return;
        }

        try
        {
            var leftovers = await DriverCleanup.CleanRootAsync(_driver);
            var stillThere = await _driver.ListSortedAsync(StoragePath.Root, CancellationToken.None);
            var uploads = await DriverCleanup.DiscardUploadsAsync(_driver);
            leftovers.ShouldBeEmpty($"Storage driver did not clean up properly. Offending files: {string.Join(", ", leftovers)}");
            stillThere.ShouldBeEmpty($"Deleting the leftovers did not remove them: {string.Join(", ", stillThere)}");
            uploads.ShouldBeEmpty($"Uploads were left behind (deleting their directories must remove them): {string.Join(", ", uploads)}");
        }
        finally
        {
            foreach (var extra in _extraDrivers)
            {
                await DriverCleanup.DisposeAsync(extra);
            }

            _extraDrivers.Clear();
            await DriverCleanup.DisposeAsync(_driver);
            _driver = null;
        }
    }

    /// <summary>
    /// Another driver instance over the same root, as a new process would create it; disposed
    /// when the test ends.
    /// </summary>
    protected async Task<IStorageDriver> CreateNewInstanceAsync()
    {
        var driver = await CreateDriverAsync(RootName, Ct);
        _extraDrivers.Add(driver);
        return driver;
    }
}
