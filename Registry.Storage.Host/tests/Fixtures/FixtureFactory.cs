namespace Registry.Storage.Host.Tests.Fixtures;

/// <summary>A factory whose drivers are never created: the fixtures test loading only.</summary>
public abstract class FixtureFactory : IStorageDriverFactory
{
    public abstract string Name { get; }

    public virtual IReadOnlyList<DriverParameterInfo> Parameters => [];

    public ValueTask<IStorageDriver> CreateAsync(DriverParameters parameters, CancellationToken cancellationToken = default) =>
        throw new UnsupportedMethodException(Name, "CreateAsync in a loader fixture");
}
