using System.Collections;

namespace Registry.Storage.Conformance;

/// <summary>
/// Reads driver parameters for tests from environment variables named
/// <c>REGSTORE_TEST_&lt;DRIVER&gt;_&lt;PARAM&gt;</c> (for example <c>REGSTORE_TEST_S3_BUCKET</c>),
/// which the test command's service scripts write, and which a third party sets to point the
/// suite at a real backend.
/// </summary>
public static class ConformanceEnvironment
{
    /// <summary>Whether this run is CI (<c>CI=true</c>): a missing server is then a failure, never a skip.</summary>
    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>The prefix for <paramref name="driverName"/>'s variables.</summary>
    public static string Prefix(string driverName) => $"REGSTORE_TEST_{driverName.ToUpperInvariant()}_";

    /// <summary>The parameters set for <paramref name="driverName"/>, or <see langword="null"/> when none are.</summary>
    public static DriverParameters? ParametersFor(string driverName)
    {
        var prefix = Prefix(driverName);
        var values = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            var key = (string)entry.Key;
            if (key.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                values[key[prefix.Length..].ToLowerInvariant()] = entry.Value as string;
            }
        }

        return values.Count == 0 ? null : new DriverParameters(driverName, values);
    }

    /// <summary>
    /// The parameters for <paramref name="driverName"/>; when none are set, ignores the test
    /// (naming the variables to set) — or fails it under CI, where every server must run.
    /// </summary>
    public static DriverParameters RequireParametersFor(string driverName, params string[] required)
    {
        var parameters = ParametersFor(driverName);
        var missing = required.Where(r => parameters?.GetString(r) is null).ToArray();
        if (parameters is not null && missing.Length == 0)
        {
            return parameters;
        }

        var message = $"set {string.Join(", ", (missing.Length > 0 ? missing : required).Select(r => Prefix(driverName) + r.ToUpperInvariant()))} to run the {driverName} tests (the test command's services/ scripts do)";
        if (IsCi)
        {
            Assert.Fail(message + "; under CI=true every server must run");
        }

        Assert.Ignore(message);
        return parameters!;
    }
}
