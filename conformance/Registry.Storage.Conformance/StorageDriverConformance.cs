namespace Registry.Storage.Conformance;

/// <summary>
/// Distribution's storage-driver suite (<c>testsuites.go</c>) plus the walk tests and the
/// guarantees this contract adds. A driver's test project subclasses it and supplies
/// <see cref="CreateDriverAsync"/>; every run works under a fresh random root.
/// </summary>
[TestFixture]
[Category("Conformance")]
public abstract partial class StorageDriverConformance
{
    /// <summary>
    /// Creates a driver whose root is an isolated location named <paramref name="rootName"/>
    /// (a single path-safe segment such as <c>regstore-conformance-3f2a…</c>): a temp folder
    /// for filesystem, a key prefix for object stores. Called again with the same name to get
    /// a fresh instance over the same data, as a new process would.
    /// </summary>
    protected abstract ValueTask<IStorageDriver> CreateDriverAsync(string rootName, CancellationToken cancellationToken);

    /// <summary>Sizes and switches; override to lower sizes for a slow backend.</summary>
    protected virtual ConformanceOptions Options { get; } = ConformanceOptions.FromEnvironment();
}
