namespace Registry.Storage.Kit;

/// <summary>A duration (<c>100ms</c>, <c>1h30m</c>; a bare integer is seconds) within [<see cref="Min"/>, <see cref="Max"/>]; shown Go-style.</summary>
/// <param name="name">The name as configuration spells it.</param>
/// <param name="description">What the parameter does.</param>
public sealed class DurationParameter(string name, string description) : DriverParameter<TimeSpan>(name, "duration", description)
{
    /// <summary>The shortest duration allowed (zero when unset: negative durations are never allowed).</summary>
    public TimeSpan? Min { get; init; }

    /// <summary>The longest duration allowed (open when unset).</summary>
    public TimeSpan? Max { get; init; }

    /// <inheritdoc />
    public override string? Allowed => ParameterText.Range(
        Min is { } min && min > TimeSpan.Zero ? Format(min) : null,
        Max is { } max ? Format(max) : null);

    /// <inheritdoc />
    protected override TimeSpan ReadValue(DriverParameters parameters, TimeSpan defaultValue) => parameters.GetDuration(Name, defaultValue, Min, Max);

    /// <inheritdoc />
    protected override string Format(TimeSpan value) => GoDuration.Format(value);
}
