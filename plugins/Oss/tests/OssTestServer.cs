using Registry.Storage.Conformance;
using Registry.Storage.Oss.StandIn;

namespace Registry.Storage.Drivers.Oss.Tests;

/// <summary>
/// Where the tests find OSS: the bucket named by <c>REGSTORE_TEST_OSS_*</c> when those are set
/// (the standalone stand-in the test command starts, or a real bucket), else a stand-in this
/// test run starts in-process. Either way a real HTTP server that verifies every signature.
/// </summary>
public static class OssTestServer
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static OssStandInServer? _standIn;

    /// <summary>The in-process stand-in (started on first use, stopped by <see cref="OssTestRun"/>).</summary>
    public static async Task<OssStandInServer> StandInAsync(OssStandInOptions? options = null)
    {
        await Gate.WaitAsync();
        try
        {
            return _standIn ??= await OssStandInServer.StartAsync(options ?? new OssStandInOptions());
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>Parameters of the environment's bucket, or of the in-process stand-in, with <c>rootdirectory</c> = base/<paramref name="rootName"/>.</summary>
    public static async Task<DriverParameters> ParametersAsync(string rootName)
    {
        var parameters = ConformanceEnvironment.ParametersFor(OssDriver.DriverName);
        if (parameters is null)
        {
            var standIn = await StandInAsync();
            parameters = new DriverParameters(OssDriver.DriverName, standIn.DriverParameters.Select(p => new KeyValuePair<string, object?>(p.Key, p.Value)));
        }

        var baseRoot = parameters.GetString("rootdirectory")?.Trim('/');
        return parameters.With("rootdirectory", string.IsNullOrEmpty(baseRoot) ? rootName : $"{baseRoot}/{rootName}");
    }

    /// <summary>Parameters of the in-process stand-in only (for behaviour only it can show, such as a wrong secret).</summary>
    public static async Task<DriverParameters> StandInParametersAsync(string rootName)
    {
        var standIn = await StandInAsync();
        return new DriverParameters(OssDriver.DriverName, standIn.DriverParameters.Select(p => new KeyValuePair<string, object?>(p.Key, p.Value)))
            .With("rootdirectory", rootName);
    }

    /// <summary>A driver over <see cref="StandInParametersAsync"/>, with <paramref name="change"/> applied to the parameters.</summary>
    public static async Task<OssDriver> StandInDriverAsync(string rootName, Func<DriverParameters, DriverParameters>? change = null)
    {
        var parameters = await StandInParametersAsync(rootName);
        return new OssDriver(OssParameters.Parse(change is null ? parameters : change(parameters)));
    }

    internal static async Task StopAsync()
    {
        if (_standIn is not null)
        {
            await _standIn.DisposeAsync();
            _standIn = null;
        }
    }
}
