using System.Reflection;
using System.Text;

namespace Registry.Storage.Reliability.Tests;

/// <summary>
/// For each network driver, created with its real credentials: provoke every kind of error
/// (missing file, invalid path, invalid offset, missing directory, a wrong secret), capture
/// every message and <c>ToString()</c> (exceptions with their inner chains, the raw
/// parameters, the parsed parameter record), and assert no secret value appears anywhere.
/// </summary>
[TestFixture]
public sealed class SecretLeakTests
{
    [TestCase("s3"), TestCase("azure"), TestCase("swift"), TestCase("oss"), TestCase("rados")]
    [CancelAfter(120_000)]
    public async Task NoCredentialAppearsInErrorsOrParameterStrings(string name, CancellationToken cancellationToken)
    {
        var required = Drivers.Network.Single(d => d.Name == name).Required;
        var parameters = Drivers.NetworkParameters(name, required, Drivers.RunSegment("secrets"));
        var secretNames = parameters.Keys.Where(parameters.IsSecret).ToList();
        var secrets = secretNames.Select(n => parameters.GetString(n)).OfType<string>().Where(v => v.Length >= 4).ToList();
        var wrongSecrets = secrets.Select(s => "wrong" + s).ToList();
        var captured = new StringBuilder();

        captured.AppendLine(parameters.ToString());
        foreach (var key in parameters.Keys)
        {
            captured.AppendLine(parameters.Show(key));
        }

        captured.AppendLine(ParsedRecordText(name, parameters));

        var driver = await Drivers.CreateAsync(name, parameters, cancellationToken);
        await CaptureErrorsAsync(driver, captured, cancellationToken);
        captured.AppendLine(driver.ToString());

        // The same with every secret replaced by a wrong one: authentication fails, and the
        // message must name neither the wrong nor the right value.
        var wrong = secretNames.Aggregate(parameters, (p, n) => p.With(n, "wrong" + p.GetString(n)));
        try
        {
            var wrongDriver = await Drivers.CreateAsync(name, wrong, cancellationToken);
            await CaptureErrorsAsync(wrongDriver, captured, cancellationToken);
        }
        catch (Exception e)
        {
            captured.AppendLine(e.ToString());
        }

        var text = captured.ToString();
        text.Length.ShouldBeGreaterThan(200, "the provoked errors produced messages to check");
        foreach (var secret in secrets.Concat(wrongSecrets))
        {
            text.ShouldNotContain(secret, Case.Sensitive, $"a secret of {name} leaked");
        }

        text.ShouldNotContain("Signature=", Case.Sensitive);
        text.ShouldNotContain("sig=", Case.Sensitive);
        TestContext.Out.WriteLine($"{name}: {secretNames.Count} secret parameters ({string.Join(", ", secretNames)}), {text.Length} characters of messages checked");
    }

    private static async Task CaptureErrorsAsync(IStorageDriver driver, StringBuilder captured, CancellationToken cancellationToken)
    {
        Func<Task>[] provocations =
        [
            () => driver.GetContentAsync("/missing/file", cancellationToken),
            () => driver.StatAsync("/missing/file", cancellationToken),
            () => driver.ReaderAsync("/missing/file", 0, cancellationToken),
            () => driver.MoveAsync("/missing/source", "/missing/destination", cancellationToken),
            () => driver.GetContentAsync("/../escape", cancellationToken),
            () => driver.ReaderAsync("/missing/file", -1, cancellationToken),
            async () =>
            {
                await foreach (var _ in driver.ListAsync("/missing/directory", cancellationToken).ConfigureAwait(false))
                {
                }
            },
            async () =>
            {
                await driver.PutContentAsync("/present/file", "x"u8.ToArray(), cancellationToken).ConfigureAwait(false);
                await driver.DeleteAsync("/present", cancellationToken).ConfigureAwait(false);
                await driver.StatAsync("/present/file", cancellationToken).ConfigureAwait(false);
            },
        ];
        foreach (var provoke in provocations)
        {
            try
            {
                await provoke().ConfigureAwait(false);
                captured.AppendLine("(no error)");
            }
            catch (Exception e)
            {
                captured.AppendLine(e.ToString());
                for (var inner = e.InnerException; inner is not null; inner = inner.InnerException)
                {
                    captured.AppendLine(inner.Message);
                }
            }
        }
    }

    /// <summary>
    /// The ToString of the driver's parsed parameter record (<c>&lt;Name&gt;Parameters.Parse</c>),
    /// found by reflection so every driver is checked the same way.
    /// </summary>
    private static string ParsedRecordText(string name, DriverParameters parameters)
    {
        var assembly = Drivers.Factory(name).GetType().Assembly;
        var parse = assembly.GetTypes()
            .Where(t => t.Name.EndsWith("Parameters", StringComparison.Ordinal))
            .Select(t => t.GetMethod("Parse", BindingFlags.Public | BindingFlags.Static, [typeof(DriverParameters)]))
            .OfType<MethodInfo>()
            .Single();
        return parse.Invoke(null, [parameters])?.ToString() ?? throw new InvalidOperationException($"{name}: Parse returned null");
    }
}
