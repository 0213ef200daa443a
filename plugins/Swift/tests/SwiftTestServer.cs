using Registry.Storage.Conformance;

namespace Registry.Storage.Drivers.Swift.Tests;

/// <summary>The Swift cluster the tests run against, from REGSTORE_TEST_SWIFT_* (services/swift/start.sh writes them).</summary>
internal static class SwiftTestServer
{
    /// <summary>The configured parameters; ignores the test without them (fails under CI=true).</summary>
    public static DriverParameters Parameters() =>
        ConformanceEnvironment.RequireParametersFor("swift", "authurl", "username", "password", "container");

    /// <summary>A fresh root segment so runs never collide.</summary>
    public static string NewRootName() => "regstore-swift-" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>The parameters with rootdirectory = the configured one (if any) plus <paramref name="rootName"/>.</summary>
    public static DriverParameters ParametersFor(string rootName)
    {
        var parameters = Parameters();
        var baseRoot = parameters.GetString("rootdirectory")?.Trim('/');
        return parameters.With("rootdirectory", string.IsNullOrEmpty(baseRoot) ? rootName : baseRoot + "/" + rootName);
    }

    /// <summary>A driver over <paramref name="rootName"/>, optionally through <paramref name="handler"/> (to watch its requests).</summary>
    public static async Task<SwiftDriver> CreateDriverAsync(
        string rootName,
        HttpMessageHandler? handler = null,
        Func<DriverParameters, DriverParameters>? adjust = null,
        TimeProvider? timeProvider = null,
        CancellationToken cancellationToken = default)
    {
        var parameters = ParametersFor(rootName);
        parameters = adjust?.Invoke(parameters) ?? parameters;
        return await SwiftDriver.CreateAsync(SwiftParameters.Parse(parameters), handler, timeProvider ?? parameters.TimeProvider, cancellationToken);
    }
}
