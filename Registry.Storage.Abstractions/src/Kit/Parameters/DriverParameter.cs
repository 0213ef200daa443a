using System.Globalization;

namespace Registry.Storage.Kit;

/// <summary>
/// One parameter a driver understands, declared once: name, type, description, default, the
/// values it allows, and whether it is required or secret. A driver lists its declarations in a
/// <see cref="DriverParameterTable"/> — from which the factory's
/// <see cref="IStorageDriverFactory.Parameters"/>, the unknown-name check and the masked
/// printing of the parsed record all derive — and reads each value through its declaration, so
/// the default and range a user is shown are the ones the driver applies.
/// </summary>
/// <remarks>
/// Why: a driver used to state each parameter three or four times (the factory's descriptions
/// with defaults as text, a list of known names, the literals in its parser, a hand-written
/// <c>PrintMembers</c>) and the copies drifted apart. The kinds — <see cref="StringParameter"/>,
/// <see cref="BooleanParameter"/>, <see cref="Int32Parameter"/>, <see cref="SizeParameter"/>,
/// <see cref="DurationParameter"/>, <see cref="ChoiceParameter"/>, <see cref="EnumParameter{TEnum}"/>,
/// <see cref="StringListParameter"/>, <see cref="SectionParameter"/> — read through
/// <see cref="DriverParameters"/>' typed accessors, so errors still name the driver, the
/// parameter, the (masked) value and what is allowed. Rules that join parameters (two that must
/// be given together, a default taken from another) stay as code in the driver's parser.
/// </remarks>
public abstract class DriverParameter
{
    // Derive from DriverParameter<T>: the table relies on TryFormat, which only it implements.
    private protected DriverParameter(string name, string type, string description)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(type);
        ArgumentException.ThrowIfNullOrWhiteSpace(description);
        Name = name;
        Type = type;
        Description = description;
    }

    /// <summary>The name as configuration spells it (distribution's name where one exists); matched case-insensitively.</summary>
    public string Name { get; }

    /// <summary>The type word <c>regstore drivers --describe</c> shows: <c>string</c>, <c>bool</c>, <c>int</c>, <c>size</c>, <c>duration</c>, <c>enum</c>, <c>list</c> or <c>map</c>.</summary>
    public string Type { get; }

    /// <summary>What the parameter does, in a sentence (the allowed range and the default are shown beside it; do not repeat them).</summary>
    public string Description { get; }

    /// <summary>Whether the driver cannot start without it: reading it unset fails with <see cref="Expected"/>.</summary>
    public bool Required { get; init; }

    /// <summary>Whether the value is a credential: masked in errors, in <c>--describe</c> and in the parsed record's <c>ToString</c>.</summary>
    public bool Secret { get; init; }

    /// <summary>What the error for a missing <see cref="Required"/> value asks for (for example <c>the bucket name</c>).</summary>
    public string Expected { get; init; } = "a non-empty value";

    /// <summary>
    /// Words for a default that is not one value — taken from another parameter or from the
    /// environment (<c>copycutoff</c>, <c>https://{accountname}.blob.{realm}</c>); shown instead of
    /// <see cref="DefaultText"/>. Leave it unset when the typed default says it all.
    /// </summary>
    public string? DefaultDescription { get; init; }

    /// <summary>The typed default as configuration would write it (<c>10MiB</c>, <c>100ms</c>, <c>true</c>), or <see langword="null"/> when there is none.</summary>
    public abstract string? DefaultText { get; }

    /// <summary>The values allowed beyond the type (<c>5MiB to 5GiB</c>, <c>one of a, b</c>), or <see langword="null"/> when any value of the type is.</summary>
    public virtual string? Allowed => null;

    /// <summary>The description tools show (<see cref="IStorageDriverFactory.Parameters"/>), derived from this declaration.</summary>
    public DriverParameterInfo ToInfo() => new(Name, Type, Description)
    {
        Default = DefaultDescription ?? DefaultText,
        Required = Required,
        Secret = Secret,
        Allowed = Allowed,
    };

    /// <inheritdoc />
    public override string ToString() => $"{Name} ({Type})";

    /// <summary>The value as configuration writes it, or <see langword="null"/> when it is not of this parameter's type.</summary>
    internal abstract string? TryFormat(object value);

    /// <summary>Throws when the declaration contradicts itself (a default outside its own range).</summary>
    internal abstract void CheckDeclaration();
}

/// <summary>A parameter whose value is read as <typeparamref name="T"/>; see <see cref="DriverParameter"/>.</summary>
/// <typeparam name="T">What <see cref="Read(DriverParameters)"/> returns.</typeparam>
public abstract class DriverParameter<T> : DriverParameter
{
    /// <summary>Declares a parameter of a kind of your own (the kit's kinds cover distribution's parameters).</summary>
    /// <param name="name">The name as configuration spells it.</param>
    /// <param name="type">The type word tools show.</param>
    /// <param name="description">What the parameter does.</param>
    protected DriverParameter(string name, string type, string description)
        : base(name, type, description)
    {
    }

    /// <summary>What <see cref="Read(DriverParameters)"/> returns when the parameter is unset.</summary>
    public T Default { get; init; } = default!;

    /// <inheritdoc />
    public override string? DefaultText => Default is null ? null : Format(Default);

    /// <summary>Reads the value, or <see cref="Default"/> when unset; checks type and range.</summary>
    /// <exception cref="InvalidParameterException">The value is missing (when <see cref="DriverParameter.Required"/>), malformed or out of range.</exception>
    public T Read(DriverParameters parameters) => Read(parameters, Default);

    /// <summary>
    /// Reads the value, or <paramref name="defaultValue"/> when unset: for a default that depends
    /// on another parameter (say so in <see cref="DriverParameter.DefaultDescription"/>).
    /// </summary>
    /// <exception cref="InvalidParameterException">The value is missing (when <see cref="DriverParameter.Required"/>), malformed or out of range.</exception>
    public T Read(DriverParameters parameters, T defaultValue)
    {
        var source = Prepare(parameters);
        return Required && !source.HasValue(Name) ? throw source.Missing(Name, Expected) : ReadValue(source, defaultValue);
    }

    /// <summary>Reads the value with <see cref="DriverParameters"/>' typed accessors (their errors name driver, parameter and value).</summary>
    protected abstract T ReadValue(DriverParameters parameters, T defaultValue);

    /// <summary>Writes <paramref name="value"/> as configuration would, so <see cref="ReadValue"/> reads it back.</summary>
    protected virtual string Format(T value) => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";

    /// <summary>Whether two values are the same (the declaration check compares the default with its text read back).</summary>
    protected virtual bool AreEqual(T left, T right) => EqualityComparer<T>.Default.Equals(left, right);

    /// <summary>
    /// <paramref name="parameters"/>, masking this parameter's values in errors when it is
    /// <see cref="DriverParameter.Secret"/> even if the caller did not say so.
    /// </summary>
    private protected DriverParameters Prepare(DriverParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return Secret && !parameters.IsSecret(Name) ? parameters.WithSecret(Name) : parameters;
    }

    internal sealed override string? TryFormat(object value) => value is T typed ? Format(typed) : null;

    // The rendered default must read back as the typed default, within the declared range:
    // otherwise --describe would show a default the driver refuses or does not use.
    internal sealed override void CheckDeclaration()
    {
        if (Default is null)
        {
            return;
        }

        var text = Format(Default);
        T readBack;
        try
        {
            readBack = ReadValue(new DriverParameters("(declaration)", [new(Name, text)]), Default);
        }
        catch (InvalidParameterException ex)
        {
            throw new ArgumentException($"parameter '{Name}': its default {text} is not allowed by its own declaration ({ex.Expected})", ex);
        }

        if (!AreEqual(readBack, Default))
        {
            throw new ArgumentException($"parameter '{Name}': its default reads back from \"{text}\" as a different value");
        }
    }
}
