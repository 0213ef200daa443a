namespace Registry.Storage.Drivers.S3.Tests;

/// <summary>The RGW the test command starts (services/ceph writes REGSTORE_TEST_S3_* into ceph.env).</summary>
internal static class S3TestServer
{
    /// <summary>The environment's s3 parameters; ignores the test without them (fails under CI=true).</summary>
    public static DriverParameters Parameters() =>
        Conformance.ConformanceEnvironment.RequireParametersFor("s3", "bucket", "regionendpoint", "accesskey", "secretkey");

    /// <summary>A driver whose root directory is <paramref name="rootName"/>, with parsed parameters adjusted by <paramref name="adjust"/>.</summary>
    public static S3Driver Create(string rootName, Func<S3Parameters, S3Parameters>? adjust = null)
    {
        var parameters = S3Parameters.Parse(Parameters().With("rootdirectory", "/" + rootName));
        return new S3Driver(adjust is null ? parameters : adjust(parameters));
    }

    /// <summary>A fresh random root name for one test.</summary>
    public static string NewRoot() => "regstore-s3-test-" + Guid.NewGuid().ToString("N")[..12];
}
