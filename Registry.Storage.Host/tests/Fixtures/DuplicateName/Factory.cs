namespace Registry.Storage.Host.Tests.Fixtures;

/// <summary>Claims the name the ConflictingDepV1 fixture already registers.</summary>
[StorageDriver("conflicting-v1")]
public sealed class DuplicateNameFactory : FixtureFactory
{
    public override string Name => "conflicting-v1";
}
