namespace Registry.Storage.Host.Tests.Fixtures;

public sealed class ForeignArchitectureFactory : FixtureFactory
{
    public override string Name => "foreign-architecture";
}
