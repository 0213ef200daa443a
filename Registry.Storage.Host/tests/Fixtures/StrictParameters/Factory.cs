using Registry.Storage.Drivers.InMemory;

namespace Registry.Storage.Host.Tests.Fixtures;

/// <summary>
/// A third-party driver as docs/writing-a-driver.md recommends: it declares only the parameters it
/// understands (no rootdirectory) and rejects any other, so a runner that injects one fails it.
/// </summary>
[StorageDriver("strict")]
public sealed class StrictFactory : IStorageDriverFactory
{
    public string Name => "strict";

    public IReadOnlyList<DriverParameterInfo> Parameters { get; } = [new("store", "string", "The in-process store to share.")];

    public ValueTask<IStorageDriver> CreateAsync(DriverParameters parameters, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        parameters.RejectUnknown(["store"]);
        var inner = new Dictionary<string, object?> { ["store"] = parameters.GetString("store") ?? "strict" };
        return new InMemoryDriverFactory().CreateAsync(new DriverParameters(Name, inner), cancellationToken);
    }
}
