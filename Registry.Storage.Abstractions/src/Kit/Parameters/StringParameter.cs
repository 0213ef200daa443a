namespace Registry.Storage.Kit;

/// <summary>A text parameter (<c>bucket</c>, <c>rootdirectory</c>); unset or empty reads as <see cref="DriverParameter{T}.Default"/>.</summary>
public sealed class StringParameter : DriverParameter<string?>
{
    /// <summary>Declares a text parameter.</summary>
    /// <param name="name">The name as configuration spells it.</param>
    /// <param name="description">What the parameter does.</param>
    public StringParameter(string name, string description)
        : base(name, "string", description)
    {
        Expected = "a non-empty string";
    }

    /// <summary>
    /// Reads a value that must be set: a <see cref="DriverParameter.Required"/> one, or one that
    /// another parameter makes necessary (then <paramref name="expected"/> says so).
    /// </summary>
    /// <exception cref="InvalidParameterException">The value is unset.</exception>
    public string ReadRequired(DriverParameters parameters, string? expected = null) =>
        Prepare(parameters).GetRequiredString(Name, expected ?? Expected);

    /// <inheritdoc />
    protected override string? ReadValue(DriverParameters parameters, string? defaultValue) => parameters.GetString(Name, defaultValue);

    /// <inheritdoc />
    protected override string Format(string? value) => value ?? "";
}
