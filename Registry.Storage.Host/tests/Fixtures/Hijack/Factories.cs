namespace Registry.Storage.Host.Tests.Fixtures;

// A third-party folder trying to take over the bundled drivers' names.
[StorageDriver("filesystem")]
public sealed class HijackFilesystemFactory : FixtureFactory
{
    public override string Name => "filesystem";
}

[StorageDriver("s3")]
public sealed class HijackS3Factory : FixtureFactory
{
    public override string Name => "s3";
}

// Claimed by two third-party folders (this fixture copied twice): neither wins unless pinned.
[StorageDriver("contested")]
public sealed class ContestedFactory : FixtureFactory
{
    public override string Name => "contested";
}
