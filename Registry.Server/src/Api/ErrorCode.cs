namespace Registry.Server.Api;

/// <summary>The distribution spec's error codes, each with the status distribution answers it with.</summary>
internal sealed record ErrorCode(string Code, int Status, string Message)
{
    public static readonly ErrorCode BlobUnknown = new("BLOB_UNKNOWN", 404, "blob unknown to registry");
    public static readonly ErrorCode BlobUploadInvalid = new("BLOB_UPLOAD_INVALID", 400, "blob upload invalid");
    public static readonly ErrorCode BlobUploadUnknown = new("BLOB_UPLOAD_UNKNOWN", 404, "blob upload unknown to registry");
    public static readonly ErrorCode DigestInvalid = new("DIGEST_INVALID", 400, "provided digest did not match uploaded content");
    public static readonly ErrorCode ManifestBlobUnknown = new("MANIFEST_BLOB_UNKNOWN", 400, "manifest references a manifest or blob unknown to registry");
    public static readonly ErrorCode ManifestInvalid = new("MANIFEST_INVALID", 400, "manifest invalid");
    public static readonly ErrorCode ManifestUnknown = new("MANIFEST_UNKNOWN", 404, "manifest unknown to registry");
    public static readonly ErrorCode NameInvalid = new("NAME_INVALID", 400, "invalid repository name");
    public static readonly ErrorCode NameUnknown = new("NAME_UNKNOWN", 404, "repository name not known to registry");
    public static readonly ErrorCode SizeInvalid = new("SIZE_INVALID", 400, "provided length did not match content length");
    public static readonly ErrorCode Unauthorized = new("UNAUTHORIZED", 401, "authentication required");
    public static readonly ErrorCode Denied = new("DENIED", 403, "requested access to the resource is denied");
    public static readonly ErrorCode Unsupported = new("UNSUPPORTED", 405, "the operation is unsupported");
    public static readonly ErrorCode TooManyRequests = new("TOO_MANY_REQUESTS", 429, "too many requests");
    public static readonly ErrorCode RangeInvalid = new("RANGE_INVALID", 416, "requested range not satisfiable");
    public static readonly ErrorCode PaginationNumberInvalid = new("PAGINATION_NUMBER_INVALID", 400, "invalid number of results requested");
    public static readonly ErrorCode Unknown = new("UNKNOWN", 500, "unknown error");
    public static readonly ErrorCode Unavailable = new("UNAVAILABLE", 503, "service unavailable");
}
