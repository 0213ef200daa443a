namespace Registry.Storage;

/// <summary>No driver is registered under the requested name (distribution's <c>InvalidStorageDriverError</c>).</summary>
public sealed class InvalidStorageDriverException : StorageDriverException
{
    /// <summary>Creates the error for <paramref name="name"/>, listing what is registered.</summary>
    public InvalidStorageDriverException(string name, IEnumerable<string> registeredNames)
        : base(name, Describe(registeredNames))
    {
        RegisteredNames = registeredNames.Order(StringComparer.Ordinal).ToArray();
    }

    /// <summary>The names that are registered.</summary>
    public IReadOnlyList<string> RegisteredNames { get; }

    private static string Describe(IEnumerable<string> names)
    {
        var list = string.Join(", ", names.Order(StringComparer.Ordinal));
        return $"no storage driver is registered under this name; registered: {(list.Length == 0 ? "(none)" : list)}";
    }
}
