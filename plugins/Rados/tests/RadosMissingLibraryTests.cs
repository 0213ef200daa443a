namespace Registry.Storage.Drivers.Rados.Tests;

public sealed class RadosMissingLibraryTests
{
    [Test]
    public async Task Missing_librados_fails_CreateAsync_with_a_clear_driver_error_naming_the_library()
    {
        var factory = new RadosDriverFactory("librados-missing-for-test.so.2");
        var parameters = new DriverParameters(RadosDriver.DriverName, new Dictionary<string, object?> { ["poolname"] = "p" });

        var error = await Should.ThrowAsync<StorageDriverException>(async () => await factory.CreateAsync(parameters));

        error.DriverName.ShouldBe("rados");
        error.Message.ShouldContain("librados-missing-for-test.so.2");
        error.Message.ShouldContain("librados.so.2");
        error.Message.ShouldContain("librados2");
        error.InnerException.ShouldBeOfType<DllNotFoundException>();
    }
}
