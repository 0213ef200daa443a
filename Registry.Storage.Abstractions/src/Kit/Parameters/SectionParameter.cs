namespace Registry.Storage.Kit;

/// <summary>
/// A nested map with parameters of its own (azure's <c>credentials</c>): read as
/// <see cref="DriverParameters"/> of the same driver whose names are checked against
/// <see cref="Parameters"/>, or <see langword="null"/> when unset.
/// </summary>
public sealed class SectionParameter : DriverParameter<DriverParameters?>
{
    /// <summary>Declares a nested map.</summary>
    /// <param name="name">The name as configuration spells it.</param>
    /// <param name="description">What the parameter does.</param>
    /// <param name="parameters">The parameters the map may hold; read each from the section <see cref="DriverParameter{T}.Read(DriverParameters)"/> returns.</param>
    public SectionParameter(string name, string description, DriverParameterTable parameters)
        : base(name, "map", description)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Parameters = parameters;
    }

    /// <summary>The parameters the map may hold.</summary>
    public DriverParameterTable Parameters { get; }

    /// <inheritdoc />
    public override string? Allowed =>
        "keys " + string.Join(", ", Parameters.Select(p => p.Allowed is null ? p.Name : $"{p.Name} ({p.Allowed})"));

    /// <inheritdoc />
    protected override DriverParameters? ReadValue(DriverParameters parameters, DriverParameters? defaultValue)
    {
        var section = parameters.GetSection(Name);
        if (section is null)
        {
            return defaultValue;
        }

        Parameters.RejectUnknown(section);
        return section;
    }

    /// <inheritdoc />
    protected override string Format(DriverParameters? value) => value is null ? "" : "{" + string.Join(", ", value.Keys.Select(k => $"{k} = {value.Show(k)}")) + "}";
}
