namespace Registry.Storage.Host.Tests.Fixtures;

[StorageDriver("throwing")]
public sealed class ThrowingFactory : FixtureFactory
{
    public ThrowingFactory() => throw new InvalidOperationException("factory constructor exploded on purpose");

    public override string Name => "throwing";
}
