namespace Registry.Storage.Kit;

/// <summary>One of a fixed set of words, matched case-insensitively and read as spelled in <see cref="Choices"/>.</summary>
public sealed class ChoiceParameter : DriverParameter<string>
{
    /// <summary>Declares a choice; the default is the first choice unless <see cref="DriverParameter{T}.Default"/> says otherwise.</summary>
    /// <param name="name">The name as configuration spells it.</param>
    /// <param name="description">What the parameter does.</param>
    /// <param name="choices">The words allowed, as the driver spells them.</param>
    public ChoiceParameter(string name, string description, IReadOnlyList<string> choices)
        : base(name, "enum", description)
    {
        ArgumentNullException.ThrowIfNull(choices);
        ArgumentOutOfRangeException.ThrowIfZero(choices.Count);
        Choices = [.. choices];
        Default = Choices[0];
    }

    /// <summary>The words allowed.</summary>
    public IReadOnlyList<string> Choices { get; }

    /// <inheritdoc />
    public override string? Allowed => "one of " + string.Join(", ", Choices);

    /// <inheritdoc />
    protected override string ReadValue(DriverParameters parameters, string defaultValue) => parameters.GetChoice(Name, defaultValue, [.. Choices]);
}
