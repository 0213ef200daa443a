namespace Registry.Storage.Drivers.Oss.Signing;

/// <summary>Signs OSS requests with one signature version.</summary>
public interface IOssSigner
{
    /// <summary>Adds the headers this version signs by time (<c>x-oss-date</c>, and for V4 <c>x-oss-content-sha256</c>, plus the STS token).</summary>
    void AddSigningHeaders(IList<KeyValuePair<string, string>> headers, DateTimeOffset now);

    /// <summary>Computes the <c>Authorization</c> header for a request whose signing headers are present.</summary>
    OssSignature Sign(OssSigningRequest request);

    /// <summary>
    /// Computes the query parameters of a presigned URL valid for <paramref name="expiry"/> from
    /// <paramref name="now"/>; <paramref name="request"/>'s headers are those the URL's user must send.
    /// </summary>
    OssPresignature Presign(OssSigningRequest request, DateTimeOffset now, TimeSpan expiry);
}
