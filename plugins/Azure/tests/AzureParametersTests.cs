using Registry.Storage.Conformance;

namespace Registry.Storage.Drivers.Azure.Tests;

[TestFixture]
public sealed class AzureParametersTests
{
    private const string Key = "c2VjcmV0LWtleS12YWx1ZQ==";

    private static DriverParameters Params(params (string Name, object? Value)[] values) =>
        new("azure", values.Select(v => new KeyValuePair<string, object?>(v.Name, v.Value)));

    internal static DriverParameters Minimal(params (string Name, object? Value)[] extra) =>
        Params([("accountname", "acct"), ("accountkey", Key), ("container", "registry"), .. extra]);

    [Test]
    public void Defaults_are_distributions()
    {
        var p = AzureParameters.Parse(Minimal());

        p.AccountName.ShouldBe("acct");
        p.Container.ShouldBe("registry");
        p.CredentialsType.ShouldBe(AzureCredentialsType.SharedKey);
        p.Realm.ShouldBe("core.windows.net");
        p.ServiceUrl.ShouldBe(new Uri("https://acct.blob.core.windows.net"));
        p.RootDirectory.ShouldBe("");
        p.MaxRetries.ShouldBe(5);
        p.RetryDelay.ShouldBe(TimeSpan.FromMilliseconds(100));
        p.SkipVerify.ShouldBeFalse();
        p.ChunkSize.ShouldBe(4L << 20);
        p.MaxConcurrency.ShouldBe(8);
    }

    private static IEnumerable<TestCaseData> ValidCases()
    {
        yield return new TestCaseData("realm", "core.chinacloudapi.cn", (Func<AzureParameters, object?>)(p => p.ServiceUrl), new Uri("https://acct.blob.core.chinacloudapi.cn")).SetName("realm builds the service URL");
        yield return new TestCaseData("serviceurl", "http://127.0.0.1:10000/devstoreaccount1", (Func<AzureParameters, object?>)(p => p.ServiceUrl), new Uri("http://127.0.0.1:10000/devstoreaccount1")).SetName("serviceurl wins over realm");
        yield return new TestCaseData("rootdirectory", "/a/b/", (Func<AzureParameters, object?>)(p => p.RootDirectory), "a/b").SetName("rootdirectory loses its outer slashes");
        yield return new TestCaseData("max_retries", "-1", (Func<AzureParameters, object?>)(p => p.MaxRetries), -1).SetName("max_retries -1 is allowed");
        yield return new TestCaseData("max_retries", 12, (Func<AzureParameters, object?>)(p => p.MaxRetries), 12).SetName("max_retries as a YAML integer");
        yield return new TestCaseData("retry_delay", "2s", (Func<AzureParameters, object?>)(p => p.RetryDelay), TimeSpan.FromSeconds(2)).SetName("retry_delay as a Go duration");
        yield return new TestCaseData("skipverify", "true", (Func<AzureParameters, object?>)(p => p.SkipVerify), true).SetName("skipverify as text");
        yield return new TestCaseData("chunksize", "16MB", (Func<AzureParameters, object?>)(p => p.ChunkSize), 16L << 20).SetName("chunksize as a size");
        yield return new TestCaseData("maxconcurrency", 3, (Func<AzureParameters, object?>)(p => p.MaxConcurrency), 3).SetName("maxconcurrency as an integer");
    }

    [TestCaseSource(nameof(ValidCases))]
    public void Valid_value_is_parsed(string name, object value, Func<AzureParameters, object?> read, object expected) =>
        read(AzureParameters.Parse(Minimal((name, value)))).ShouldBe(expected);

    private static IEnumerable<TestCaseData> InvalidCases()
    {
        yield return new TestCaseData(Params(("accountkey", Key), ("container", "registry")), "accountname").SetName("accountname is required");
        yield return new TestCaseData(Params(("accountname", "acct"), ("accountkey", Key)), "container").SetName("container is required");
        yield return new TestCaseData(Minimal(("container", "Bad_Name")), "container").SetName("container must follow Azure's naming rule");
        yield return new TestCaseData(Params(("accountname", "acct"), ("container", "registry")), "accountkey").SetName("some credential is required");
        yield return new TestCaseData(Minimal(("max_retries", "-2")), "max_retries").SetName("max_retries below -1 is refused");
        yield return new TestCaseData(Minimal(("retry_delay", "soon")), "retry_delay").SetName("retry_delay must be a duration");
        yield return new TestCaseData(Minimal(("skipverify", "maybe")), "skipverify").SetName("skipverify must be a boolean");
        yield return new TestCaseData(Minimal(("chunksize", "512KB")), "chunksize").SetName("chunksize below 1 MiB is refused");
        yield return new TestCaseData(Minimal(("maxconcurrency", 0)), "maxconcurrency").SetName("maxconcurrency must be positive");
        yield return new TestCaseData(Minimal(("serviceurl", "ftp://x")), "serviceurl").SetName("serviceurl must be http(s)");
        yield return new TestCaseData(Minimal(("acountname", "typo")), "acountname").SetName("unknown parameter is refused");
        yield return new TestCaseData(Minimal(("credentials", new Dictionary<string, object?> { ["type"] = "password" })), "type").SetName("unknown credentials type is refused");
        yield return new TestCaseData(Minimal(("credentials", new Dictionary<string, object?> { ["type"] = "client_secret", ["clientid"] = "c", ["tenantid"] = "t" })), "secret").SetName("client_secret needs a secret");
        yield return new TestCaseData(Minimal(("credentials", new Dictionary<string, object?> { ["tenant"] = "t" })), "tenant").SetName("unknown credentials field is refused");
        yield return new TestCaseData(Params(("accountname", "acct"), ("container", "registry"), ("credentials", new Dictionary<string, object?> { ["type"] = "shared_key" })), "accountkey").SetName("shared_key needs accountkey");
    }

    [TestCaseSource(nameof(InvalidCases))]
    public void Invalid_configuration_names_the_parameter(DriverParameters parameters, string parameter)
    {
        var error = Should.Throw<InvalidParameterException>(() => AzureParameters.Parse(parameters));

        error.Parameter.ShouldBe(parameter);
        error.DriverName.ShouldBe("azure");
        error.Message.ShouldNotContain(Key);
    }

    [Test]
    public void Client_secret_credentials_are_read_from_the_credentials_map()
    {
        var p = AzureParameters.Parse(Params(("accountname", "acct"), ("container", "registry"),
            ("credentials", new Dictionary<string, object?> { ["type"] = "client_secret", ["clientid"] = "cid", ["tenantid"] = "tid", ["secret"] = "s3cr3t" })));

        p.CredentialsType.ShouldBe(AzureCredentialsType.ClientSecret);
        (p.ClientId, p.TenantId, p.ClientSecret).ShouldBe(("cid", "tid", "s3cr3t"));
    }

    [Test]
    public void Default_credentials_need_no_key()
    {
        var p = AzureParameters.Parse(Params(("accountname", "acct"), ("container", "registry"),
            ("credentials", new Dictionary<string, object?> { ["type"] = "default_credentials" })));

        p.CredentialsType.ShouldBe(AzureCredentialsType.DefaultCredentials);
    }

    [Test]
    public void Connection_string_alone_is_enough()
    {
        var p = AzureParameters.Parse(Params(("container", "registry"), ("connectionstring", "UseDevelopmentStorage=true")));

        p.CredentialsType.ShouldBe(AzureCredentialsType.ConnectionString);
        p.ServiceUrl.ShouldBeNull();
    }

    [Test]
    public void ToString_never_shows_a_credential()
    {
        var p = AzureParameters.Parse(Params(("accountname", "acct"), ("accountkey", Key), ("container", "registry"),
            ("connectionstring", "AccountKey=conn-secret"),
            ("credentials", new Dictionary<string, object?> { ["type"] = "client_secret", ["clientid"] = "cid", ["tenantid"] = "tid", ["secret"] = "client-secret" })));

        var text = p.ToString();

        text.ShouldContain("acct");
        text.ShouldNotContain(Key);
        text.ShouldNotContain("conn-secret");
        text.ShouldNotContain("client-secret");
    }

    [TestCase("shared_key", true)]
    [TestCase("default_credentials", false)]
    [TestCase("client_secret", false)]
    public async Task Redirect_capability_follows_whether_the_credentials_can_sign(string type, bool canSign)
    {
        // Building the clients makes no request, so no network is needed here.
        var parsed = AzureParameters.Parse(Minimal(("credentials", new Dictionary<string, object?>
        {
            ["type"] = type, ["clientid"] = "cid", ["tenantid"] = "tid", ["secret"] = "s",
        })));
        var driver = new AzureDriver(new AzureContext("azure", parsed, AzureAuth.Create(parsed), TimeProvider.System));

        driver.Capabilities.Redirect.ShouldBe(canSign);
        if (!canSign)
        {
            (await driver.RedirectUrlAsync("/a", RedirectOptions.Get)).ShouldBeNull();
        }
    }

    [Test]
    public void Factory_marks_credentials_secret()
    {
        var factory = new AzureDriverFactory();

        factory.Name.ShouldBe("azure");
        factory.Parameters.Where(p => p.Secret).Select(p => p.Name)
            .ShouldBe(["accountkey", "credentials", "connectionstring"], ignoreOrder: true);
    }
}

/// <summary>The declared table and <see cref="AzureParameters.Parse"/> agree (names, defaults).</summary>
public sealed class AzureParameterTableTests() : DriverParametersConformance(new AzureDriverFactory(), AzureParameters.Table, AzureParameters.Parse,
    AzureParametersTests.Minimal());
