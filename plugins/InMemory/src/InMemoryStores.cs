using System.Collections.Concurrent;

namespace Registry.Storage.Drivers.InMemory;

/// <summary>
/// The process-wide stores selected by the <c>store</c> parameter, so that a new driver
/// instance sees what an earlier one stored — what a new process sees with a persistent
/// backend. A named store lives as long as the process (or until <see cref="Forget"/>).
/// </summary>
internal static class InMemoryStores
{
    private static readonly ConcurrentDictionary<string, InMemoryStore> Named = new(StringComparer.Ordinal);

    /// <summary>The store named <paramref name="name"/>, created on first use; a fresh private store when the name is <see langword="null"/>.</summary>
    public static InMemoryStore Get(string? name) => name is null ? new InMemoryStore() : Named.GetOrAdd(name, _ => new InMemoryStore());

    /// <summary>Drops the named store, releasing its memory once no driver uses it.</summary>
    public static bool Forget(string name) => Named.TryRemove(name, out _);
}
