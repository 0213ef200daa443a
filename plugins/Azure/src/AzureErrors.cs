using System.Net.Sockets;
using Azure;
using Azure.Identity;
using Azure.Storage.Blobs.Models;

namespace Registry.Storage.Drivers.Azure;

/// <summary>Maps Azure SDK failures onto the contract's errors (distribution's <c>is404</c>, plus transience for the retry decorator).</summary>
internal static class AzureErrors
{
    // Error codes that mean "nothing at this path" (distribution's is404 list).
    private static readonly HashSet<string> NotFoundCodes =
    [
        BlobErrorCode.BlobNotFound.ToString(),
        BlobErrorCode.ContainerNotFound.ToString(),
        BlobErrorCode.ResourceNotFound.ToString(),
        BlobErrorCode.CannotVerifyCopySource.ToString(),
    ];

    // Codes the service documents as retryable whatever the status.
    private static readonly HashSet<string> TransientCodes =
    [
        BlobErrorCode.ServerBusy.ToString(),
        BlobErrorCode.OperationTimedOut.ToString(),
        BlobErrorCode.InternalError.ToString(),
    ];

    /// <summary>Whether <paramref name="exception"/> says the blob (or container) does not exist.</summary>
    public static bool IsNotFound(RequestFailedException exception) =>
        exception.Status == 404 || (exception.ErrorCode is { } code && NotFoundCodes.Contains(code));

    /// <summary>Whether the request hit a blob of another type (an append blob where a block blob is wanted, or the reverse).</summary>
    public static bool IsWrongBlobType(RequestFailedException exception) =>
        exception.ErrorCode == BlobErrorCode.InvalidBlobType.ToString();

    /// <summary>Whether retrying the same request may succeed: throttling, server errors, timeouts, broken connections.</summary>
    public static bool IsTransient(Exception exception) => exception switch
    {
        RequestFailedException { Status: 408 or 429 or 500 or 502 or 503 or 504 } => true,
        RequestFailedException { ErrorCode: { } code } when TransientCodes.Contains(code) => true,
        RequestFailedException { Status: 0, InnerException: { } inner } => IsTransient(inner),
        HttpRequestException or IOException or SocketException or TimeoutException => true,
        AggregateException aggregate => aggregate.InnerExceptions.Any(IsTransient),
        _ => false,
    };

    /// <summary>
    /// The contract's error for a failure of <paramref name="operation"/> on <paramref name="path"/>:
    /// <see cref="PathNotFoundException"/> for a missing blob, otherwise a wrapped
    /// <see cref="StorageDriverException"/> flagged transient when a retry may help.
    /// Contract errors pass through unchanged; cancellation is never wrapped.
    /// </summary>
    public static Exception Map(string driverName, string operation, string? path, Exception exception) => exception switch
    {
        StorageDriverException or OperationCanceledException => exception,
        RequestFailedException failed when path is not null && IsNotFound(failed) => DriverErrors.PathNotFound(driverName, path, failed),
        _ => Backend(driverName, operation, path, exception),
    };

    /// <summary>
    /// A <see cref="StorageDriverException"/> for a failed <paramref name="operation"/> whose message says
    /// the cause once: the SDK's retry policy gives up with an <see cref="AggregateException"/> whose text
    /// repeats every attempt's error and advice about <c>ClientOptions.Retry</c> the user cannot act on.
    /// </summary>
    public static StorageDriverException Backend(string driverName, string operation, string? path, Exception exception)
    {
        var subject = path is null ? operation : $"{operation} {path}";
        return new StorageDriverException(driverName, $"{subject} failed{Describe(exception)}", exception)
        {
            Path = path,
            IsTransient = IsTransient(exception),
        };
    }

    // ": cause" or " after N attempts: cause1; cause2" with each distinct cause once.
    private static string Describe(Exception exception)
    {
        if (exception is not AggregateException aggregate)
        {
            return ": " + exception.Message;
        }

        var attempts = aggregate.Flatten().InnerExceptions;
        var causes = attempts.Select(e => e.Message).Distinct(StringComparer.Ordinal);
        return $" after {attempts.Count} attempts: {string.Join("; ", causes)}";
    }

    /// <summary>Whether <see cref="Map"/> should handle <paramref name="exception"/> (everything but programming errors).</summary>
    public static bool ShouldMap(Exception exception) =>
        exception is RequestFailedException or HttpRequestException or IOException or SocketException or TimeoutException or AggregateException
            or AuthenticationFailedException or StorageDriverException;
}
