using Registry.Storage.Kit;

namespace Registry.Storage.Conformance;

/// <summary>
/// Checks that a driver's parameter table (<see cref="DriverParameterTable"/>) and its parser
/// agree: the factory describes exactly the table, and every declared default, written out
/// as configuration would, parses to what leaving the parameter unset gives — so
/// <c>regstore drivers --describe</c> never shows a default the driver does not use. A driver's
/// test project subclasses it beside its own parameter tests.
/// </summary>
/// <example>
/// <code>
/// public sealed class AcmeParameterTableTests() : DriverParametersConformance(
///     new AcmeDriverFactory(), AcmeParameters.Table, AcmeParameters.Parse, new Dictionary&lt;string, object?&gt; { ["bucket"] = "b" });
/// </code>
/// </example>
/// <param name="factory">The driver's factory, whose <see cref="IStorageDriverFactory.Parameters"/> must describe <paramref name="table"/>.</param>
/// <param name="table">The driver's declarations.</param>
/// <param name="parse">
/// Parses into the driver's parameter record. Two results are compared by their <c>ToString</c>,
/// which for a record lists every public member.
/// </param>
/// <param name="minimal">The fewest parameters the parser accepts (the required ones, with valid values), as a dictionary or <see cref="DriverParameters"/>; none by default.</param>
[TestFixture]
public abstract class DriverParametersConformance(
    IStorageDriverFactory factory,
    DriverParameterTable table,
    Func<DriverParameters, object> parse,
    IEnumerable<KeyValuePair<string, object?>>? minimal = null)
{
    private readonly Dictionary<string, object?> _minimal = new(minimal ?? [], StringComparer.OrdinalIgnoreCase);

    /// <summary>The factory's description is the table's, parameter for parameter.</summary>
    [Test]
    public void The_factory_describes_the_declared_table() =>
        factory.Parameters.ShouldBe(table.Info);

    /// <summary>Each parameter with a default parses, set to that default, exactly as when it is unset.</summary>
    [Test]
    public void Every_declared_default_is_what_the_parser_uses_when_the_parameter_is_unset()
    {
        var unset = Describe(_minimal);
        var checkedDefaults = 0;
        foreach (var parameter in table.Where(p => p.DefaultText is not null && !_minimal.ContainsKey(p.Name)))
        {
            var withDefault = new Dictionary<string, object?>(_minimal, StringComparer.OrdinalIgnoreCase) { [parameter.Name] = parameter.DefaultText };
            Describe(withDefault).ShouldBe(unset, $"{parameter.Name}: declared default \"{parameter.DefaultText}\"");
            checkedDefaults++;
        }

        TestContext.Out.WriteLine($"{factory.Name}: {checkedDefaults} declared defaults parse as the unset parameter does");
    }

    private string Describe(IReadOnlyDictionary<string, object?> values) =>
        parse(new DriverParameters(factory.Name, values)).ToString() ?? "";
}
