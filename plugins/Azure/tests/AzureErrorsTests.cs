using System.Net.Sockets;
using Azure;
using Azure.Identity;

namespace Registry.Storage.Drivers.Azure.Tests;

[TestFixture]
public sealed class AzureErrorsTests
{
    private static RequestFailedException Failed(int status, string? code) => new(status, $"status {status}", code, null);

    [TestCase(404, "BlobNotFound")]
    [TestCase(404, "ContainerNotFound")]
    [TestCase(404, "ResourceNotFound")]
    [TestCase(404, "CannotVerifyCopySource")]
    [TestCase(404, null)]
    public void Missing_blob_becomes_PathNotFound_naming_driver_and_path(int status, string? code)
    {
        var mapped = AzureErrors.Map("azure", "read", "/a/b", Failed(status, code));

        var notFound = mapped.ShouldBeOfType<PathNotFoundException>();
        notFound.DriverName.ShouldBe("azure");
        notFound.Path.ShouldBe("/a/b");
        notFound.InnerException.ShouldBeOfType<RequestFailedException>();
    }

    [TestCase(408, null, true)]
    [TestCase(429, null, true)]
    [TestCase(500, "InternalError", true)]
    [TestCase(502, null, true)]
    [TestCase(503, "ServerBusy", true)]
    [TestCase(504, null, true)]
    [TestCase(500, "OperationTimedOut", true)]
    [TestCase(400, "InvalidBlockList", false)]
    [TestCase(403, "AuthenticationFailed", false)]
    [TestCase(409, "InvalidBlobType", false)]
    [TestCase(412, "ConditionNotMet", false)]
    public void Other_service_errors_are_wrapped_and_flagged_transient_only_when_a_retry_can_help(int status, string? code, bool transient)
    {
        var mapped = AzureErrors.Map("azure", "write", "/x", Failed(status, code));

        var error = mapped.ShouldBeOfType<StorageDriverException>();
        error.IsTransient.ShouldBe(transient);
        error.Path.ShouldBe("/x");
        error.Message.ShouldStartWith("azure: write /x failed");
    }

    [Test]
    public void Network_failures_are_transient()
    {
        AzureErrors.IsTransient(new HttpRequestException("reset")).ShouldBeTrue();
        AzureErrors.IsTransient(new IOException("broken pipe")).ShouldBeTrue();
        AzureErrors.IsTransient(new SocketException()).ShouldBeTrue();
        AzureErrors.IsTransient(new RequestFailedException(0, "no response", null, new HttpRequestException("refused"))).ShouldBeTrue();
        AzureErrors.IsTransient(new InvalidOperationException()).ShouldBeFalse();
    }

    [Test]
    public void Contract_errors_and_cancellation_pass_through_unchanged()
    {
        var notFound = new PathNotFoundException("azure", "/p");
        var cancelled = new OperationCanceledException();

        AzureErrors.Map("azure", "read", "/p", notFound).ShouldBeSameAs(notFound);
        AzureErrors.Map("azure", "read", "/p", cancelled).ShouldBeSameAs(cancelled);
    }

    [Test]
    public void Token_acquisition_failure_is_wrapped_not_leaked_raw()
    {
        var failure = new CredentialUnavailableException("no managed identity");

        AzureErrors.ShouldMap(failure).ShouldBeTrue();
        var error = AzureErrors.Map("azure", "stat", "/p", failure).ShouldBeOfType<StorageDriverException>();
        error.IsTransient.ShouldBeFalse();
        error.InnerException.ShouldBeSameAs(failure);
    }

    [Test]
    public void Wrong_blob_type_is_recognised()
    {
        AzureErrors.IsWrongBlobType(Failed(409, "InvalidBlobType")).ShouldBeTrue();
        AzureErrors.IsWrongBlobType(Failed(409, "BlobAlreadyExists")).ShouldBeFalse();
    }
}
