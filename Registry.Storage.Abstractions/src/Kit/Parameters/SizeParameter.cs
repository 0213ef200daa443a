namespace Registry.Storage.Kit;

/// <summary>A byte size (<c>10MB</c>, <c>5 MiB</c>, <c>1048576</c>) within [<see cref="Min"/>, <see cref="Max"/>]; shown with binary units (<c>10MiB</c>).</summary>
/// <param name="name">The name as configuration spells it.</param>
/// <param name="description">What the parameter does.</param>
public sealed class SizeParameter(string name, string description) : DriverParameter<long>(name, "size", description)
{
    /// <summary>The smallest size allowed (0 by default).</summary>
    public long Min { get; init; }

    /// <summary>The largest size allowed (open by default).</summary>
    public long Max { get; init; } = long.MaxValue;

    /// <inheritdoc />
    public override string? Allowed => ParameterText.Range(
        Min <= 0 ? null : Format(Min),
        Max == long.MaxValue ? null : Format(Max));

    /// <inheritdoc />
    protected override long ReadValue(DriverParameters parameters, long defaultValue) => parameters.GetByteSize(Name, defaultValue, Min, Max);

    /// <inheritdoc />
    protected override string Format(long value) => ByteSize.Format(value).Replace(" ", "", StringComparison.Ordinal);
}
