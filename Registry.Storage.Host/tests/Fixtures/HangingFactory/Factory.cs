namespace Registry.Storage.Host.Tests.Fixtures;

/// <summary>A constructor that never returns in reasonable time.</summary>
[StorageDriver("hanging")]
public sealed class HangingFactory : FixtureFactory
{
    public HangingFactory() => Thread.Sleep(TimeSpan.FromMinutes(2));

    public override string Name => "hanging";
}
