using System.Net;

namespace Registry.Storage.Drivers.Swift;

/// <summary>Swift answered with an unexpected status; the inner exception of the driver's errors.</summary>
internal sealed class SwiftHttpException(HttpStatusCode status, string message) : Exception(message)
{
    public HttpStatusCode Status { get; } = status;
}

/// <summary>
/// Maps Swift's answers to the contract's errors, by table: 404 is "not found" (the caller
/// decides whether that means <see cref="PathNotFoundException"/>); 408, 429, 498 (rate
/// limited), 5xx and connection failures are transient; everything else is a plain failure.
/// Messages name the driver, the operation and the path, never the token or a key.
/// </summary>
internal static class SwiftErrors
{
    public const string DriverName = "swift";

    /// <summary>Whether a retry of the same request may succeed.</summary>
    public static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests or (HttpStatusCode)498
        || (int)status >= 500;

    /// <summary>The driver error for an unexpected status of <paramref name="operation"/> on <paramref name="path"/>.</summary>
    public static StorageDriverException FromStatus(string operation, string? path, HttpStatusCode status, string? reason)
    {
        if (status == HttpStatusCode.NotFound && path is not null)
        {
            return DriverErrors.PathNotFound(DriverName, path);
        }

        var inner = new SwiftHttpException(status, $"Swift answered {(int)status} {reason}".TrimEnd());
        return DriverErrors.Backend(DriverName, operation, path, inner, IsTransient(status));
    }

    /// <summary>The driver error for <paramref name="response"/>, which was not a success.</summary>
    public static StorageDriverException FromResponse(string operation, string? path, HttpResponseMessage response) =>
        FromStatus(operation, path, response.StatusCode, response.ReasonPhrase);

    /// <summary>Wraps a failure below HTTP (connection refused, reset, timeout) or of authentication.</summary>
    public static StorageDriverException Wrap(string operation, string? path, Exception exception) => exception switch
    {
        StorageDriverException driverError => driverError,
        HttpRequestException or IOException => DriverErrors.Backend(DriverName, operation, path, exception, isTransient: true),
        TimeoutException => DriverErrors.Backend(DriverName, operation, path, exception, isTransient: true),
        _ => DriverErrors.Backend(DriverName, operation, path, exception),
    };
}
