using System.Net;
using System.Net.Sockets;
using Amazon.Runtime;
using Amazon.S3;

namespace Registry.Storage.Drivers.S3.Tests;

/// <summary>S3Errors.Map: codes to contract errors, transient marking, driver and path named.</summary>
public sealed class S3ErrorsTests
{
    private static AmazonS3Exception S3Error(string? code, HttpStatusCode status, string message = "") =>
        new(message, ErrorType.Sender, code, "request-id", status);

    [TestCase("NoSuchKey", HttpStatusCode.NotFound)]
    [TestCase("NotFound", HttpStatusCode.NotFound)]
    [TestCase(null, HttpStatusCode.NotFound)]
    public void Missing_keys_become_PathNotFound(string? code, HttpStatusCode status)
    {
        var mapped = S3Errors.Map("s3", "GetContent", "/a/b", S3Error(code, status));
        var notFound = mapped.ShouldBeOfType<PathNotFoundException>();
        notFound.Path.ShouldBe("/a/b");
        notFound.DriverName.ShouldBe("s3");
    }

    [TestCase("SlowDown", HttpStatusCode.ServiceUnavailable)]
    [TestCase("ServiceUnavailable", HttpStatusCode.ServiceUnavailable)]
    [TestCase("InternalError", HttpStatusCode.InternalServerError)]
    [TestCase("RequestTimeout", HttpStatusCode.BadRequest)]
    [TestCase("SomethingNew", HttpStatusCode.BadGateway)]
    [TestCase(null, HttpStatusCode.TooManyRequests)]
    public void Throttling_and_server_errors_are_transient(string? code, HttpStatusCode status)
    {
        var mapped = S3Errors.Map("s3", "PutContent", "/a", S3Error(code, status)).ShouldBeOfType<StorageDriverException>();
        mapped.IsTransient.ShouldBeTrue();
        mapped.Path.ShouldBe("/a");
    }

    [TestCase("AccessDenied", HttpStatusCode.Forbidden)]
    [TestCase("NoSuchBucket", HttpStatusCode.NotFound)]
    [TestCase("SignatureDoesNotMatch", HttpStatusCode.Forbidden)]
    [TestCase("InvalidAccessKeyId", HttpStatusCode.Forbidden)]
    [TestCase("EntityTooSmall", HttpStatusCode.BadRequest)]
    [TestCase("NoSuchUpload", HttpStatusCode.NotFound)]
    public void Permanent_errors_carry_the_S3_code_and_are_not_transient(string code, HttpStatusCode status)
    {
        var mapped = S3Errors.Map("s3", "Stat", "/x", S3Error(code, status)).ShouldBeOfType<StorageDriverException>();
        mapped.IsTransient.ShouldBeFalse();
        mapped.Message.ShouldContain(code);
        mapped.Message.ShouldContain("s3");
        mapped.Message.ShouldContain("/x");
        mapped.InnerException.ShouldBeOfType<AmazonS3Exception>();
    }

    [Test]
    public void Network_failures_are_transient()
    {
        S3Errors.Map("s3", "Reader", "/a", new HttpRequestException("reset", new SocketException((int)SocketError.ConnectionReset)))
            .ShouldBeOfType<StorageDriverException>().IsTransient.ShouldBeTrue();
        S3Errors.Map("s3", "Reader", "/a", new IOException("unexpected EOF"))
            .ShouldBeOfType<StorageDriverException>().IsTransient.ShouldBeTrue();
        S3Errors.Map("s3", "Reader", "/a", new TaskCanceledException("timeout", new TimeoutException()))
            .ShouldBeOfType<StorageDriverException>().IsTransient.ShouldBeTrue();
        S3Errors.Map("s3", "Reader", "/a", new AmazonServiceException("wrapped", new HttpRequestException("refused")))
            .ShouldBeOfType<StorageDriverException>().IsTransient.ShouldBeTrue();
    }

    [Test]
    public void Caller_cancellation_and_driver_errors_pass_through()
    {
        var cancelled = new OperationCanceledException();
        S3Errors.Map("s3", "Stat", "/a", cancelled).ShouldBeSameAs(cancelled);
        var notFound = new PathNotFoundException("s3", "/a");
        S3Errors.Map("s3", "Stat", "/a", notFound).ShouldBeSameAs(notFound);
    }
}
