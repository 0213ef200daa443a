using System.Globalization;

namespace Registry.Storage.Kit;

/// <summary>A whole-number parameter within [<see cref="Min"/>, <see cref="Max"/>].</summary>
/// <param name="name">The name as configuration spells it.</param>
/// <param name="description">What the parameter does.</param>
public sealed class Int32Parameter(string name, string description) : DriverParameter<int>(name, "int", description)
{
    /// <summary>The smallest value allowed (open by default).</summary>
    public int Min { get; init; } = int.MinValue;

    /// <summary>The largest value allowed (open by default).</summary>
    public int Max { get; init; } = int.MaxValue;

    /// <inheritdoc />
    public override string? Allowed => ParameterText.Range(
        Min == int.MinValue ? null : Format(Min),
        Max == int.MaxValue ? null : Format(Max));

    /// <inheritdoc />
    protected override int ReadValue(DriverParameters parameters, int defaultValue) => parameters.GetInt32(Name, defaultValue, Min, Max);

    /// <inheritdoc />
    protected override string Format(int value) => value.ToString(CultureInfo.InvariantCulture);
}
