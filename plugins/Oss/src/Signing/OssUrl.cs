using System.Text;

namespace Registry.Storage.Drivers.Oss.Signing;

/// <summary>Builds request and presigned URLs in virtual-hosted style (<c>scheme://bucket.endpoint/key?query</c>).</summary>
public static class OssUrl
{
    /// <summary>The URL for <paramref name="key"/> under <paramref name="bucketBase"/> (<c>http://bucket.endpoint</c> or <c>http://ip/bucket</c>), with the query appended in order.</summary>
    public static Uri Build(Uri bucketBase, string key, IEnumerable<KeyValuePair<string, string?>> query)
    {
        ArgumentNullException.ThrowIfNull(bucketBase);
        ArgumentNullException.ThrowIfNull(query);
        // The base is the bucket's: virtual-hosted (no path) or path-style (/bucket).
        var builder = new StringBuilder(bucketBase.GetLeftPart(UriPartial.Path).TrimEnd('/'));
        builder.Append('/').Append(OssEncoding.Encode(key, keepSlash: true));
        var separator = '?';
        foreach (var (name, value) in query)
        {
            builder.Append(separator).Append(OssEncoding.Encode(name));
            if (value is not null)
            {
                // Flags go on the wire as `uploads=`, as the official client sends them.
                builder.Append('=').Append(OssEncoding.Encode(value));
            }

            separator = '&';
        }

        return new Uri(builder.ToString());
    }

    /// <summary>A presigned URL: the signature parameters first, then the request's own query (the official client's order).</summary>
    public static Uri Presigned(Uri bucketBase, OssSigningRequest request, OssPresignature presignature)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(presignature);
        var query = presignature.Parameters.Select(p => new KeyValuePair<string, string?>(p.Key, p.Value)).Concat(request.Query);
        return Build(bucketBase, request.Key, query);
    }
}
