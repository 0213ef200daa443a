namespace Registry.Storage.Drivers.Rados.Tests;

public sealed class RadosMissingLibraryTests
{
    [Test]
    public void Missing_librados_fails_the_factory_with_a_clear_driver_error_naming_the_library()
    {
        // The host constructs factories when it loads a plugin: it reports this message for the
        // rados plugin and goes on with the others.
        var error = Should.Throw<StorageDriverException>(() => new RadosDriverFactory("librados-missing-for-test.so.2"));

        error.DriverName.ShouldBe("rados");
        error.Message.ShouldContain("librados-missing-for-test.so.2");
        error.Message.ShouldContain("librados.so.2");
        error.Message.ShouldContain("librados2");
        error.InnerException.ShouldBeOfType<DllNotFoundException>();
    }

    [Test]
    public async Task Present_librados_loads_and_parameters_are_checked_before_connecting()
    {
        var factory = new RadosDriverFactory();
        var parameters = new DriverParameters(RadosDriver.DriverName, new Dictionary<string, object?> { ["username"] = "admin" });

        (await Should.ThrowAsync<InvalidParameterException>(async () => await factory.CreateAsync(parameters))).Parameter.ShouldBe("poolname");
    }
}
