namespace Registry.Storage.Drivers.S3.Tests;

/// <summary>Transient faults are retried by the SDK with backoff; when retries run out the error says it is transient.</summary>
public sealed class S3RetryTests
{
    private static CancellationToken Ct => TestContext.CurrentContext.CancellationToken;

    [Test]
    public async Task SlowDown_answers_are_retried_until_the_request_succeeds()
    {
        var root = S3TestServer.NewRoot();
        using var direct = S3TestServer.Create(root);
        await direct.PutContentAsync("/retry/blob", "survived"u8.ToArray(), Ct);
        try
        {
            await using var proxy = new FaultInjectingProxy(new Uri(direct.Parameters.RegionEndpoint!), faults: 3);
            using var throughProxy = S3TestServer.Create(root, p => p with { RegionEndpoint = proxy.Endpoint });

            (await throughProxy.GetContentAsync("/retry/blob", Ct)).ShouldBe("survived"u8.ToArray());
            proxy.FaultsServed.ShouldBe(3);
        }
        finally
        {
            await direct.DeleteAsync("/retry", CancellationToken.None);
        }
    }

    [Test]
    public async Task Persistent_SlowDown_fails_as_a_transient_error_naming_the_code()
    {
        var root = S3TestServer.NewRoot();
        using var direct = S3TestServer.Create(root);
        await using var proxy = new FaultInjectingProxy(new Uri(direct.Parameters.RegionEndpoint!), faults: 100);
        using var throughProxy = S3TestServer.Create(root, p => p with { RegionEndpoint = proxy.Endpoint });

        var error = await Should.ThrowAsync<StorageDriverException>(() => throughProxy.GetContentAsync("/retry/blob", Ct));

        error.IsTransient.ShouldBeTrue();
        error.Message.ShouldContain("SlowDown");
        error.Path.ShouldBe("/retry/blob");
        // The first attempt plus the SDK's 5 retries.
        proxy.FaultsServed.ShouldBe(6);
    }
}
