using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text;

namespace Registry.Storage.Kit;

/// <summary>
/// Every parameter a driver understands, in the order tools list them — the one place each is
/// declared. From it derive the factory's <see cref="IStorageDriverFactory.Parameters"/>
/// (<see cref="Info"/>), the unknown-name check (<see cref="RejectUnknown"/>) and the masked
/// printing of the parsed record (<see cref="PrintMembers"/>); the driver's parser reads each
/// value through its declaration.
/// </summary>
/// <example>
/// <code>
/// public sealed record AcmeParameters(string Bucket, long ChunkSize, string? SecretKey)
/// {
///     public static class Declared
///     {
///         public static readonly StringParameter Bucket = new("bucket", "The bucket.") { Required = true, Expected = "a bucket name" };
///         public static readonly SizeParameter ChunkSize = new("chunksize", "Bytes per uploaded part.") { Default = 10L &lt;&lt; 20, Min = 5L &lt;&lt; 20 };
///         public static readonly StringParameter SecretKey = new("secretkey", "The secret key.") { Secret = true };
///     }
///
///     public static DriverParameterTable Table { get; } = new(Declared.Bucket, Declared.ChunkSize, Declared.SecretKey);
///
///     public static AcmeParameters Parse(DriverParameters parameters)
///     {
///         Table.RejectUnknown(parameters);
///         return new(Declared.Bucket.ReadRequired(parameters), Declared.ChunkSize.Read(parameters), Declared.SecretKey.Read(parameters));
///     }
///
///     private bool PrintMembers(StringBuilder builder) => Table.PrintMembers(builder, this);
/// }
/// // the factory: public IReadOnlyList&lt;DriverParameterInfo&gt; Parameters => AcmeParameters.Table.Info;
/// </code>
/// </example>
public sealed class DriverParameterTable : IReadOnlyList<DriverParameter>
{
    private readonly DriverParameter[] _parameters;

    /// <summary>Lists <paramref name="parameters"/>, checking each declaration (a default outside its own range throws).</summary>
    /// <exception cref="ArgumentException">Two parameters share a name (case-insensitively), or a declaration contradicts itself.</exception>
    public DriverParameterTable(params DriverParameter[] parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        _parameters = [.. parameters];
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var parameter in _parameters)
        {
            ArgumentNullException.ThrowIfNull(parameter, nameof(parameters));
            if (!names.Add(parameter.Name))
            {
                throw new ArgumentException($"parameter '{parameter.Name}' is declared twice", nameof(parameters));
            }

            parameter.CheckDeclaration();
        }

        Info = _parameters.Select(p => p.ToInfo()).ToArray();
    }

    /// <summary>What the factory returns as <see cref="IStorageDriverFactory.Parameters"/>: each declaration described, in order.</summary>
    public IReadOnlyList<DriverParameterInfo> Info { get; }

    /// <inheritdoc />
    public int Count => _parameters.Length;

    /// <inheritdoc />
    public DriverParameter this[int index] => _parameters[index];

    /// <summary>The parameter named <paramref name="name"/> (case-insensitively), or <see langword="null"/>.</summary>
    public DriverParameter? Find(string name) =>
        _parameters.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>Throws naming every configured parameter this table does not declare, so a typo never goes unnoticed.</summary>
    /// <exception cref="InvalidParameterException">A name is not declared.</exception>
    public void RejectUnknown(DriverParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        parameters.RejectUnknown(_parameters.Select(p => p.Name));
    }

    /// <summary>
    /// Prints the public properties of <paramref name="parsed"/> as a record's <c>PrintMembers</c>
    /// does (<c>Name = value, …</c>), masking credentials by the declarations, so a record's
    /// <c>ToString</c> never shows one: a record delegates with
    /// <c>private bool PrintMembers(StringBuilder builder) => Table.PrintMembers(builder, this);</c>.
    /// </summary>
    /// <remarks>
    /// A property is matched to the parameter it is named after, as configuration binding matches
    /// them (case and underscores ignored; parameters of nested sections included): it is masked
    /// when that parameter is <see cref="DriverParameter.Secret"/>, and otherwise written as
    /// configuration would (sizes as <c>10MiB</c>, durations as <c>100ms</c>). A <see cref="string"/>
    /// property named after no parameter — a value derived from one, such as azure's
    /// <c>ClientSecret</c> from <c>credentials.secret</c> — is masked when its name looks like a
    /// credential (<see cref="DriverParameters.LooksSecret"/>). Other objects print their own
    /// <c>ToString</c>, so a type holding a credential masks it itself.
    /// </remarks>
    /// <returns><see langword="true"/>, as a record's <c>PrintMembers</c> returns when it printed members.</returns>
    public bool PrintMembers(StringBuilder builder, object parsed)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(parsed);
        var separator = "";
        foreach (var property in parsed.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length > 0 || property.GetMethod is null)
            {
                continue;
            }

            var parameter = FindMember(property.Name);
            var masked = parameter?.Secret ?? (property.PropertyType == typeof(string) && DriverParameters.LooksSecret(property.Name));
            builder.Append(separator).Append(property.Name).Append(" = ").Append(Show(property.GetValue(parsed), parameter, masked));
            separator = ", ";
        }

        return true;
    }

    private static string Show(object? value, DriverParameter? parameter, bool masked) => value switch
    {
        null or "" => "(unset)",
        _ when masked => "******",
        _ when parameter?.TryFormat(value) is { } text => text,
        string s => s,
        IEnumerable items => "[" + string.Join(", ", items.Cast<object?>().Select(i => Convert.ToString(i, CultureInfo.InvariantCulture))) + "]",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };

    // The parameter a member is named after, here or in a nested section.
    private DriverParameter? FindMember(string memberName)
    {
        var key = memberName.Replace("_", "", StringComparison.Ordinal);
        foreach (var parameter in _parameters)
        {
            if (string.Equals(parameter.Name.Replace("_", "", StringComparison.Ordinal), key, StringComparison.OrdinalIgnoreCase))
            {
                return parameter;
            }

            if (parameter is SectionParameter section && section.Parameters.FindMember(memberName) is { } nested)
            {
                return nested;
            }
        }

        return null;
    }

    /// <inheritdoc />
    public IEnumerator<DriverParameter> GetEnumerator() => ((IEnumerable<DriverParameter>)_parameters).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
