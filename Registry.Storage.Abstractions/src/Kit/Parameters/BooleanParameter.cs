namespace Registry.Storage.Kit;

/// <summary>A <c>true</c>/<c>false</c> parameter (YAML and JSON booleans too).</summary>
/// <param name="name">The name as configuration spells it.</param>
/// <param name="description">What the parameter does.</param>
public sealed class BooleanParameter(string name, string description) : DriverParameter<bool>(name, "bool", description)
{
    /// <inheritdoc />
    protected override bool ReadValue(DriverParameters parameters, bool defaultValue) => parameters.GetBoolean(Name, defaultValue);

    /// <inheritdoc />
    protected override string Format(bool value) => value ? "true" : "false";
}
