using System.Net;

namespace Registry.Storage.Drivers.Swift.Tests;

/// <summary>The status → error table of <see cref="SwiftErrors"/>.</summary>
public sealed class SwiftErrorsTests
{
    [Test]
    public void Not_found_on_a_path_is_PathNotFound_naming_driver_and_path()
    {
        var error = SwiftErrors.FromStatus("get", "/a/b", HttpStatusCode.NotFound, "Not Found");

        var notFound = error.ShouldBeOfType<PathNotFoundException>();
        notFound.DriverName.ShouldBe("swift");
        notFound.Path.ShouldBe("/a/b");
    }

    [TestCase(HttpStatusCode.InternalServerError, true)]
    [TestCase(HttpStatusCode.BadGateway, true)]
    [TestCase(HttpStatusCode.ServiceUnavailable, true)]
    [TestCase(HttpStatusCode.GatewayTimeout, true)]
    [TestCase(HttpStatusCode.InsufficientStorage, true)]
    [TestCase(HttpStatusCode.RequestTimeout, true)]
    [TestCase(HttpStatusCode.TooManyRequests, true)]
    [TestCase((HttpStatusCode)498, true)]
    [TestCase(HttpStatusCode.Unauthorized, false)]
    [TestCase(HttpStatusCode.Forbidden, false)]
    [TestCase(HttpStatusCode.BadRequest, false)]
    [TestCase(HttpStatusCode.Conflict, false)]
    [TestCase(HttpStatusCode.UnprocessableEntity, false)]
    public void Other_statuses_wrap_the_status_and_say_whether_a_retry_may_help(HttpStatusCode status, bool transient)
    {
        var error = SwiftErrors.FromStatus("put", "/a/b", status, "reason");

        error.ShouldNotBeOfType<PathNotFoundException>();
        error.IsTransient.ShouldBe(transient);
        error.Path.ShouldBe("/a/b");
        error.Message.ShouldContain("swift");
        error.Message.ShouldContain("/a/b");
        error.InnerException.ShouldBeOfType<SwiftHttpException>().Status.ShouldBe(status);
    }

    [Test]
    public void A_not_found_without_a_path_is_a_plain_failure()
    {
        SwiftErrors.FromStatus("list", null, HttpStatusCode.NotFound, "Not Found").ShouldNotBeOfType<PathNotFoundException>();
    }

    [Test]
    public void Connection_failures_are_transient_and_keep_the_original()
    {
        var original = new HttpRequestException("connection refused");
        var error = SwiftErrors.Wrap("get", "/x", original);

        error.IsTransient.ShouldBeTrue();
        error.InnerException.ShouldBeSameAs(original);
        error.Path.ShouldBe("/x");
    }

    [Test]
    public void Driver_errors_pass_through_unchanged()
    {
        var original = DriverErrors.PathNotFound("swift", "/x");
        SwiftErrors.Wrap("get", "/x", original).ShouldBeSameAs(original);
    }
}
