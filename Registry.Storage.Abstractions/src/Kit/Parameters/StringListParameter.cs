namespace Registry.Storage.Kit;

/// <summary>A list of words: a YAML/JSON list, or one comma-separated string; empty by default.</summary>
public sealed class StringListParameter : DriverParameter<IReadOnlyList<string>>
{
    /// <summary>Declares a list parameter whose default is the empty list.</summary>
    /// <param name="name">The name as configuration spells it.</param>
    /// <param name="description">What the parameter does.</param>
    public StringListParameter(string name, string description)
        : base(name, "list", description)
    {
        Default = [];
    }

    /// <inheritdoc />
    protected override IReadOnlyList<string> ReadValue(DriverParameters parameters, IReadOnlyList<string> defaultValue) => parameters.GetStringList(Name, defaultValue);

    /// <inheritdoc />
    protected override string Format(IReadOnlyList<string> value) => string.Join(",", value);

    /// <inheritdoc />
    protected override bool AreEqual(IReadOnlyList<string> left, IReadOnlyList<string> right) => left.SequenceEqual(right);
}
