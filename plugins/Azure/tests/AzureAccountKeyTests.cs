namespace Registry.Storage.Drivers.Azure.Tests;

public sealed class AzureAccountKeyTests
{
    [Test]
    public void An_account_key_that_is_not_base64_is_a_named_parameter_error_that_hides_the_value()
    {
        var parameters = new DriverParameters("azure", new Dictionary<string, object?>
        {
            ["accountname"] = "acct",
            ["accountkey"] = "not base64 at all!",
            ["container"] = "c",
        }, ["accountkey"]);

        var error = Should.Throw<InvalidParameterException>(() => AzureParameters.Parse(parameters));

        error.Message.ShouldContain("azure");
        error.Message.ShouldContain("accountkey");
        error.Message.ShouldContain("base64");
        error.Message.ShouldNotContain("not base64 at all!");
    }
}
