namespace Registry.Storage.Drivers.Swift.Tests;

/// <summary>Valid driver parameters for tests that need no server, with extra values on top.</summary>
internal static class TestParameters
{
    public static DriverParameters Create(string authUrl, params (string Key, object? Value)[] extra)
    {
        var values = new Dictionary<string, object?>
        {
            ["username"] = "test:tester",
            ["password"] = "testing",
            ["authurl"] = authUrl,
            ["container"] = "registry",
        };
        foreach (var (key, value) in extra)
        {
            values[key] = value;
        }

        return new DriverParameters("swift", values, ["password", "secretkey", "accesskey"]);
    }
}
