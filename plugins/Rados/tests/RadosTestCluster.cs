using Registry.Storage.Conformance;
using Registry.Storage.Drivers.Rados.Native;

namespace Registry.Storage.Drivers.Rados.Tests;

/// <summary>
/// The real Ceph cluster services/ceph/start.sh starts: parameters from REGSTORE_TEST_RADOS_*
/// (ignored without them locally, a failure under CI=true).
/// </summary>
internal static class RadosTestCluster
{
    /// <summary>The parameters the environment names, with <paramref name="overrides"/> applied.</summary>
    public static DriverParameters Parameters(params (string Name, object? Value)[] overrides)
    {
        var parameters = ConformanceEnvironment.RequireParametersFor(RadosDriver.DriverName, "poolname", "conffile");
        foreach (var (name, value) in overrides)
        {
            parameters = parameters.With(name, value);
        }

        return parameters;
    }

    /// <summary>A driver over a root of its own below the configured root directory.</summary>
    public static async Task<RadosDriver> CreateDriverAsync(string rootName, params (string Name, object? Value)[] overrides)
    {
        var parameters = Parameters(overrides);
        var baseRoot = parameters.GetString(RadosParameters.Declared.RootDirectory.Name, string.Empty)!.Trim('/');
        parameters = parameters.With(RadosParameters.Declared.RootDirectory.Name, baseRoot.Length == 0 ? rootName : baseRoot + "/" + rootName);
        return (RadosDriver)await new RadosDriverFactory().CreateAsync(parameters);
    }

    /// <summary>A raw cluster connection for binding tests.</summary>
    public static RadosCluster Connect()
    {
        var options = RadosParameters.Parse(Parameters());
        RadosLibrary.EnsureLoaded();
        return RadosCluster.Connect(new RadosConnectOptions(options.UserName, options.ConfFile, options.Keyring, options.Timeout));
    }

    /// <summary>The pool the tests use.</summary>
    public static string Pool => RadosParameters.Parse(Parameters()).PoolName;
}
