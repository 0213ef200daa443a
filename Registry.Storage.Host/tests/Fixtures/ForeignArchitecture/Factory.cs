namespace Registry.Storage.Host.Tests.Fixtures;

[StorageDriver("foreign-architecture")]
public sealed class ForeignArchitectureFactory : FixtureFactory
{
    public override string Name => "foreign-architecture";
}
