namespace Registry.Storage;

/// <summary>
/// Describes one parameter a driver understands, for <c>regstore drivers --describe</c>, validation
/// and masking. Drivers derive these from their <see cref="Kit.DriverParameterTable"/> rather than
/// writing them by hand, so the description cannot drift from what the driver parses.
/// </summary>
/// <param name="Name">The parameter's name as configuration spells it (distribution's name where one exists).</param>
/// <param name="Type">The accepted kind: <c>string</c>, <c>bool</c>, <c>int</c>, <c>size</c>, <c>duration</c>, <c>enum</c>, <c>map</c>, <c>list</c>.</param>
/// <param name="Description">One sentence on what it does.</param>
public sealed record DriverParameterInfo(string Name, string Type, string Description)
{
    /// <summary>The default as text, or <see langword="null"/> when there is none.</summary>
    public string? Default { get; init; }

    /// <summary>Whether the driver cannot start without it.</summary>
    public bool Required { get; init; }

    /// <summary>Whether the value is a credential: never logged, printed or put in an error message.</summary>
    public bool Secret { get; init; }

    /// <summary>
    /// The values accepted beyond the type — a range (<c>5MiB to 5GiB</c>) or the choices
    /// (<c>one of a, b</c>) — or <see langword="null"/> when any value of the type is (contract 1.2).
    /// </summary>
    public string? Allowed { get; init; }
}
