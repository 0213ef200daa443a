using System.Net;
using System.Net.Http.Headers;
using Registry.Server.Tests.Infrastructure;
using static Registry.Server.Tests.Infrastructure.RegistryApi;

namespace Registry.Server.Tests.Api;

/// <summary>A client that dies mid-chunk: what reached the driver is kept, the client resumes from the reported range, nothing partial is ever visible.</summary>
public sealed class InterruptedUploadTests
{
    [TestCase("inmemory")]
    [TestCase("filesystem")]
    public async Task A_patch_broken_off_mid_body_resumes_from_the_reported_range(string kind)
    {
        using var temp = new TempDirectory();
        var driver = kind == "filesystem" ? RegistryHost.Filesystem(temp.Path) : RegistryHost.InMemory();
        await using var host = await RegistryHost.StartAsync(driver, new RegistryServerOptions());
        var content = RandomBytes(4 * 1024 * 1024, 400);
        var location = await UploadTests.StartUploadAsync(host.Client, "broken");

        var request = new HttpRequestMessage(HttpMethod.Patch, location) { Content = new StreamContent(new BreakingStream(content, 1_500_000)) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        await Should.ThrowAsync<Exception>(() => host.Client.SendAsync(request));

        long received = -1;
        for (var i = 0; i < 50; i++)
        {
            using var status = await host.Client.GetAsync(location);
            status.StatusCode.ShouldBe(HttpStatusCode.NoContent);
            var range = status.Header("Range");
            received = range == "0-0" ? 0 : long.Parse(range[2..], System.Globalization.CultureInfo.InvariantCulture) + 1;
            if (received > 0)
            {
                break;
            }

            await Task.Delay(100); // the server notices the broken connection asynchronously
        }

        received.ShouldBeInRange(1, 1_500_000);
        using (var head = await host.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/v2/broken/blobs/{Sha256(content)}")))
        {
            head.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        }

        // Until the server has noticed the broken connection, the old PATCH may still append: a
        // resume from a stale offset is 416 with the current Range, and the client retries from there.
        for (var attempt = 0; ; attempt++)
        {
            using var rest = await UploadTests.PatchAsync(host.Client, location, content[(int)received..], received);
            if (rest.StatusCode == HttpStatusCode.Accepted)
            {
                break;
            }

            await rest.ShouldBeErrorAsync(HttpStatusCode.RequestedRangeNotSatisfiable, "BLOB_UPLOAD_INVALID");
            attempt.ShouldBeLessThan(20);
            received = long.Parse(rest.Header("Range")[2..], System.Globalization.CultureInfo.InvariantCulture) + 1;
            await Task.Delay(100);
        }

        using var put = await UploadTests.PutAsync(host.Client, location, Sha256(content));
        put.StatusCode.ShouldBe(HttpStatusCode.Created);
        using var get = await host.Client.GetAsync($"/v2/broken/blobs/{Sha256(content)}");
        (await get.Content.ReadAsByteArrayAsync()).ShouldBe(content);
    }

    /// <summary>Yields the first <c>breakAt</c> bytes, then fails, which aborts the HTTP request mid-body.</summary>
    private sealed class BreakingStream(byte[] content, int breakAt) : Stream
    {
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_position >= breakAt)
            {
                throw new IOException("client died");
            }

            var n = Math.Min(count, Math.Min(64 * 1024, breakAt - _position));
            Array.Copy(content, _position, buffer, offset, n);
            _position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
