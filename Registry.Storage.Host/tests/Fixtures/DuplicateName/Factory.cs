namespace Registry.Storage.Host.Tests.Fixtures;

/// <summary>Claims the name the ConflictingDepV1 fixture already registers.</summary>
public sealed class DuplicateNameFactory : FixtureFactory
{
    public override string Name => "conflicting-v1";
}
