namespace Registry.Storage.Kit;

/// <summary>One of the members of <typeparamref name="TEnum"/>, named case-insensitively (underscores and dashes ignored); shown in lower case.</summary>
/// <typeparam name="TEnum">The values allowed.</typeparam>
/// <param name="name">The name as configuration spells it.</param>
/// <param name="description">What the parameter does.</param>
public sealed class EnumParameter<TEnum>(string name, string description) : DriverParameter<TEnum>(name, "enum", description)
    where TEnum : struct, Enum
{
    /// <inheritdoc />
    public override string? Allowed => "one of " + string.Join(", ", Enum.GetValues<TEnum>().Select(Format));

    /// <inheritdoc />
    protected override TEnum ReadValue(DriverParameters parameters, TEnum defaultValue) => parameters.GetEnum(Name, defaultValue);

    /// <inheritdoc />
    protected override string Format(TEnum value) => value.ToString().ToLowerInvariant();
}
