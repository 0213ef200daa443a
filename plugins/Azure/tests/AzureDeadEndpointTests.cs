namespace Registry.Storage.Drivers.Azure.Tests;

/// <summary>An endpoint nobody listens on: one message naming driver, endpoint and cause, after a short bounded retry.</summary>
public sealed class AzureDeadEndpointTests
{
    [Test]
    [CancelAfter(30_000)]
    public async Task Creating_against_a_dead_endpoint_fails_once_naming_driver_endpoint_and_cause(CancellationToken cancellationToken)
    {
        var parameters = new DriverParameters("azure", new Dictionary<string, object?>
        {
            ["accountname"] = "devstoreaccount1",
            ["accountkey"] = Convert.ToBase64String(new byte[64]),
            ["container"] = "dead-endpoint",
            ["serviceurl"] = "http://127.0.0.1:1/devstoreaccount1",
        }, ["accountkey"]);

        var error = await Should.ThrowAsync<StorageDriverException>(async () => await new AzureDriverFactory().CreateAsync(parameters, cancellationToken));

        error.DriverName.ShouldBe("azure");
        error.Message.ShouldContain("create container dead-endpoint at http://127.0.0.1:1 failed after 4 attempts: ");
        error.Message.ShouldNotContain("ClientOptions");
        error.Message.Split("127.0.0.1:1)").Length.ShouldBe(2, $"the refused connection is named once: {error.Message}");
        error.IsTransient.ShouldBeTrue();
    }
}
