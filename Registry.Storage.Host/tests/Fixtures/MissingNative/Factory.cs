using System.Runtime.InteropServices;

namespace Registry.Storage.Host.Tests.Fixtures;

/// <summary>Probes a native library that does not exist, as a driver checking for librados at load would.</summary>
[StorageDriver("missing-native")]
public sealed partial class MissingNativeFactory : FixtureFactory
{
    public MissingNativeFactory() => _ = regstore_fixture_probe();

    public override string Name => "missing-native";

    [LibraryImport("libregstore-fixture-does-not-exist.so.1")]
    private static partial int regstore_fixture_probe();
}
