using System.Net;

namespace Registry.Storage.Conformance;

// Redirects: distribution's TestRedirectURL, through a real HTTP client.
public abstract partial class StorageDriverConformance
{
    /// <summary>
    /// The HTTP client TestRedirectURL fetches URLs with; override to trust a test server's
    /// certificate (distribution's <c>skipVerify</c>).
    /// </summary>
    protected virtual HttpClient CreateRedirectClient() => new();

    /// <summary>
    /// TestRedirectURL: a driver that declares redirects gives a GET URL serving the content and
    /// a HEAD URL answering 200 with the length; one that does not returns null.
    /// </summary>
    [Test]
    public async Task RedirectURL()
    {
        var path = TestData.RandomPath(32);
        var contents = TestData.RandomContents(32);
        await using var cleanup = DeleteAfter(TestData.FirstPart(path));
        await Driver.PutContentAsync(path, contents, Ct);

        var getUrl = await Driver.RedirectUrlAsync(path, RedirectOptions.Get, Ct);
        if (!Driver.Capabilities.Redirect)
        {
            getUrl.ShouldBeNull("the driver declares Redirect = false, so it must return no URL");
            (await Driver.RedirectUrlAsync(path, RedirectOptions.Head, Ct)).ShouldBeNull("HEAD, with Redirect = false");
            return;
        }

        getUrl.ShouldNotBeNull("the driver declares Redirect = true, so it must return a URL");
        using var client = CreateRedirectClient();
        using (var response = await client.GetAsync(getUrl, Ct))
        {
            response.StatusCode.ShouldBe(HttpStatusCode.OK, $"GET {getUrl.GetLeftPart(UriPartial.Path)}");
            ShouldBeSameBytes(await response.Content.ReadAsByteArrayAsync(Ct), contents, "the body served at the GET URL");
        }

        var headUrl = await Driver.RedirectUrlAsync(path, RedirectOptions.Head, Ct);
        headUrl.ShouldNotBeNull("the driver declares Redirect = true, so it must return a HEAD URL");
        using var head = new HttpRequestMessage(HttpMethod.Head, headUrl);
        using var headResponse = await client.SendAsync(head, Ct);
        headResponse.StatusCode.ShouldBe(HttpStatusCode.OK, $"HEAD {headUrl.GetLeftPart(UriPartial.Path)}");
        headResponse.Content.Headers.ContentLength.ShouldBe(contents.Length, "Content-Length of the HEAD response");
    }
}
