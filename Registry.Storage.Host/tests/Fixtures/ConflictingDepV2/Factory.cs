namespace Registry.Storage.Host.Tests.Fixtures;

/// <summary>Reports, as its only parameter's description, the Newtonsoft.Json version its own load context resolved.</summary>
[StorageDriver("conflicting-v2")]
public sealed class ConflictingDepV2Factory : FixtureFactory
{
    public override string Name => "conflicting-v2";

    public override IReadOnlyList<DriverParameterInfo> Parameters =>
        [new("dependency", "string", typeof(Newtonsoft.Json.JsonConvert).Assembly.GetName().Version!.ToString())];
}
