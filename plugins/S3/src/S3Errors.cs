using System.Net;
using System.Net.Sockets;
using Amazon.Runtime;
using Amazon.S3;

namespace Registry.Storage.Drivers.S3;

/// <summary>
/// Maps SDK and network failures to the contract's errors: one switch on S3's error code
/// (each arm links the documented meaning), then the HTTP status, then the transport.
/// The SDK has already retried what it considers retryable; <see cref="StorageDriverException.IsTransient"/>
/// tells the host's retry decorator whether another attempt can help.
/// </summary>
internal static class S3Errors
{
    /// <summary>The contract error for <paramref name="error"/> raised by <paramref name="operation"/> on <paramref name="path"/>.</summary>
    public static Exception Map(string driverName, string operation, string? path, Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        switch (error)
        {
            case StorageDriverException or OperationCanceledException when error is not TaskCanceledException { InnerException: TimeoutException }:
                return error;
            case AmazonS3Exception s3:
                return MapS3(driverName, operation, path, s3);
            case var _ when IsNetwork(error):
                return Wrap(driverName, operation, path, error, "connection failed: " + error.Message, transient: true);
            default:
                return Wrap(driverName, operation, path, error, error.Message, transient: false);
        }
    }

    /// <summary>Whether <paramref name="error"/> means the key does not exist.</summary>
    public static bool IsNotFound(Exception error) =>
        error is AmazonS3Exception s3 && (s3.ErrorCode is "NoSuchKey" or "NotFound" || (s3.StatusCode == HttpStatusCode.NotFound && s3.ErrorCode is null or ""));

    private static Exception MapS3(string driverName, string operation, string? path, AmazonS3Exception error)
    {
        var code = string.IsNullOrEmpty(error.ErrorCode) ? null : error.ErrorCode;
        var text = $"{code ?? "HTTP " + (int)error.StatusCode} ({(int)error.StatusCode})"
            + (string.IsNullOrEmpty(error.Message) || error.Message == code ? "" : ": " + error.Message);
        switch (code)
        {
            // https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html#API_GetObject_Errors
            case "NoSuchKey":
            // HEAD has no body, so the SDK reports the status text: https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadObject.html
            case "NotFound":
                return path is null ? Wrap(driverName, operation, path, error, text, false) : DriverErrors.PathNotFound(driverName, path, error);
            // An upload aborted or completed by someone else: https://docs.aws.amazon.com/AmazonS3/latest/API/API_UploadPart.html
            case "NoSuchUpload":
                return Wrap(driverName, operation, path, error, text + " (the multipart upload is gone: aborted, completed or expired)", false);
            // Offset past the end is handled by the reader; here it is a real error: https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html
            case "InvalidRange":
                return Wrap(driverName, operation, path, error, text, false);
            // Configuration errors: retrying cannot help. https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#ErrorCodeList
            case "NoSuchBucket" or "AccessDenied" or "InvalidAccessKeyId" or "SignatureDoesNotMatch" or "AllAccessDisabled"
                or "InvalidBucketName" or "PermanentRedirect" or "AuthorizationHeaderMalformed" or "InvalidRequest":
                return Wrap(driverName, operation, path, error, text, false);
            // Parts too small or out of order, object too big: https://docs.aws.amazon.com/AmazonS3/latest/API/API_CompleteMultipartUpload.html
            case "EntityTooSmall" or "EntityTooLarge" or "InvalidPart" or "InvalidPartOrder":
                return Wrap(driverName, operation, path, error, text, false);
            // Throttling and server trouble: https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#ErrorCodeList
            case "SlowDown" or "ServiceUnavailable" or "InternalError" or "RequestTimeout" or "RequestTimeTooSkewed" or "Throttling" or "ThrottlingException":
                return Wrap(driverName, operation, path, error, text, true);
            default:
                if (error.StatusCode == HttpStatusCode.NotFound && code is null && path is not null)
                {
                    return DriverErrors.PathNotFound(driverName, path, error);
                }

                return Wrap(driverName, operation, path, error, text, (int)error.StatusCode >= 500 || error.StatusCode == HttpStatusCode.TooManyRequests);
        }
    }

    private static bool IsNetwork(Exception error) => error switch
    {
        HttpRequestException or IOException or SocketException or TimeoutException => true,
        TaskCanceledException { InnerException: TimeoutException } => true,
        { InnerException: { } inner } => IsNetwork(inner),
        _ => false,
    };

    private static StorageDriverException Wrap(string driverName, string operation, string? path, Exception error, string text, bool transient) =>
        new(driverName, path is null ? $"{operation} failed: {text}" : $"{operation} {path} failed: {text}", error)
        {
            Path = path,
            IsTransient = transient,
        };
}
