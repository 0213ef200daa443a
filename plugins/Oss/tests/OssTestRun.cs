using Registry.Storage.Drivers.Oss.Tests;

namespace Registry.Storage;

/// <summary>
/// Stops the in-process stand-in once every test of the assembly has run; in the
/// <c>Registry.Storage</c> namespace so it covers both the driver tests and the conformance fixture.
/// </summary>
[SetUpFixture]
public sealed class OssTestRun
{
    [OneTimeTearDown]
    public Task StopStandInAsync() => OssTestServer.StopAsync();
}
