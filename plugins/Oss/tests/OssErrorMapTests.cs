using System.Net;

namespace Registry.Storage.Drivers.Oss.Tests;

/// <summary>OSS error XML mapped to the contract's exceptions, request id kept.</summary>
public sealed class OssErrorMapTests
{
    private static string ErrorXml(string code, string message, string requestId = "5C3D9175B6FC201293AD4890") =>
        $"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error>\n  <Code>{code}</Code>\n  <Message>{message}</Message>\n  <RequestId>{requestId}</RequestId>\n  <HostId>bucket.oss-cn-hangzhou.aliyuncs.com</HostId>\n</Error>";

    private static StorageDriverException Map(HttpStatusCode status, string? body, string? path = "/a/b", string? requestIdHeader = null) =>
        OssErrors.Map("oss", "GetObject", path, OssErrors.Parse(status, body, requestIdHeader));

    [Test]
    public void NoSuchKey_is_PathNotFound_for_the_path()
    {
        var error = Map(HttpStatusCode.NotFound, ErrorXml("NoSuchKey", "The specified key does not exist."));
        var notFound = error.ShouldBeOfType<PathNotFoundException>();
        notFound.Path.ShouldBe("/a/b");
        notFound.DriverName.ShouldBe("oss");
        notFound.InnerException.ShouldBeOfType<OssServiceException>().RequestId.ShouldBe("5C3D9175B6FC201293AD4890");
    }

    [Test]
    public void A_bodiless_404_of_HEAD_is_PathNotFound() =>
        Map(HttpStatusCode.NotFound, null).ShouldBeOfType<PathNotFoundException>();

    [TestCase("AccessDenied")]
    [TestCase("SignatureDoesNotMatch")]
    [TestCase("InvalidAccessKeyId")]
    [TestCase("RequestTimeTooSkewed")]
    [TestCase("SecurityTokenExpired")]
    public void Credential_and_signature_errors_are_authentication_errors_with_the_request_id(string code)
    {
        var error = Map(HttpStatusCode.Forbidden, ErrorXml(code, "denied", "REQ123"));
        error.ShouldBeOfType<OssAuthenticationException>();
        error.Message.ShouldContain(code);
        error.Message.ShouldContain("REQ123");
        error.Message.ShouldContain("/a/b");
        error.Message.ShouldContain("accesskeysecret");
        error.IsTransient.ShouldBeFalse();
    }

    [TestCase(HttpStatusCode.InternalServerError, "InternalError")]
    [TestCase(HttpStatusCode.ServiceUnavailable, "ServiceUnavailable")]
    [TestCase(HttpStatusCode.TooManyRequests, "TooManyRequests")]
    [TestCase(HttpStatusCode.BadRequest, "RequestTimeout")]
    public void Server_trouble_and_throttling_are_transient(HttpStatusCode status, string code) =>
        Map(status, ErrorXml(code, "try again")).IsTransient.ShouldBeTrue();

    [TestCase("InvalidArgument")]
    [TestCase("EntityTooSmall")]
    [TestCase("NoSuchUpload")]
    [TestCase("MalformedXML")]
    public void Other_client_errors_are_wrapped_not_transient_and_keep_code_and_request_id(string code)
    {
        var error = Map(HttpStatusCode.BadRequest, ErrorXml(code, "bad", "REQ9"));
        error.GetType().ShouldBe(typeof(StorageDriverException));
        error.IsTransient.ShouldBeFalse();
        error.Message.ShouldContain(code);
        error.Message.ShouldContain("REQ9");
        error.Message.ShouldContain("GetObject /a/b");
    }

    [Test]
    public void The_request_id_header_is_used_when_the_body_has_none() =>
        Map(HttpStatusCode.Forbidden, null, requestIdHeader: "HDR-ID").Message.ShouldContain("HDR-ID");

    [Test]
    public void A_body_that_is_not_xml_is_kept_as_the_message() =>
        Map(HttpStatusCode.BadGateway, "<html>bad gateway</html").Message.ShouldContain("bad gateway");

    [Test]
    public void NoSuchKey_without_a_path_is_a_plain_backend_error() =>
        Map(HttpStatusCode.NotFound, ErrorXml("NoSuchKey", "gone"), path: null).ShouldNotBeOfType<PathNotFoundException>();
}
