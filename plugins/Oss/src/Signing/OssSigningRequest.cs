namespace Registry.Storage.Drivers.Oss.Signing;

/// <summary>
/// What a signer needs to know about one request, in decoded form: the wire encoding is the
/// client's business, the signature is computed over OSS's own canonical encoding.
/// </summary>
/// <param name="Method">The HTTP method, upper case.</param>
/// <param name="Bucket">The bucket (virtual-hosted: the first label of the Host).</param>
/// <param name="Key">The object key without a leading slash; empty for bucket operations.</param>
/// <param name="Query">The query parameters, decoded; a <see langword="null"/> or empty value is a bare flag such as <c>uploads</c>.</param>
/// <param name="Headers">The request headers that go on the wire (any case).</param>
public sealed record OssSigningRequest(
    string Method,
    string Bucket,
    string Key,
    IReadOnlyList<KeyValuePair<string, string?>> Query,
    IReadOnlyList<KeyValuePair<string, string>> Headers)
{
    /// <summary>The value of the header <paramref name="name"/> (case-insensitive), or <see langword="null"/>.</summary>
    public string? Header(string name)
    {
        foreach (var (key, value) in Headers)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        return null;
    }
}

/// <summary>The result of signing a request: the header to send and the intermediate strings (for tests and diagnostics).</summary>
/// <param name="Authorization">The <c>Authorization</c> header value.</param>
/// <param name="CanonicalRequest">V4's canonical request; <see langword="null"/> for V1, which has none.</param>
/// <param name="StringToSign">The string the HMAC is computed over.</param>
/// <param name="Signature">The signature (hex for V4, base64 for V1).</param>
public sealed record OssSignature(string Authorization, string? CanonicalRequest, string StringToSign, string Signature);

/// <summary>The query parameters that make a presigned URL, in the order they are appended.</summary>
/// <param name="Parameters">Name/value pairs (decoded) to append after the request's own query.</param>
/// <param name="CanonicalRequest">V4's canonical request; <see langword="null"/> for V1.</param>
/// <param name="StringToSign">The string the HMAC is computed over.</param>
public sealed record OssPresignature(IReadOnlyList<KeyValuePair<string, string>> Parameters, string? CanonicalRequest, string StringToSign);
