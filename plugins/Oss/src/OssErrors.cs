using System.Net;
using System.Xml.Linq;

namespace Registry.Storage.Drivers.Oss;

/// <summary>An error answer from OSS: the HTTP status and the fields of its error XML.</summary>
public sealed class OssServiceException : Exception
{
    /// <summary>Creates the error.</summary>
    public OssServiceException(HttpStatusCode status, string code, string message, string? requestId)
        : base($"{(int)status} {code}: {message}{(requestId is null ? "" : $" (request id {requestId})")}")
    {
        Status = status;
        Code = code;
        RequestId = requestId;
    }

    /// <summary>The HTTP status.</summary>
    public HttpStatusCode Status { get; }

    /// <summary>OSS's error code, such as <c>NoSuchKey</c>.</summary>
    public string Code { get; }

    /// <summary>OSS's request id (<c>x-oss-request-id</c>), which OSS support asks for.</summary>
    public string? RequestId { get; }
}

/// <summary>OSS rejected the credentials or the signature: a configuration problem, never transient.</summary>
public sealed class OssAuthenticationException : StorageDriverException
{
    /// <summary>Creates the error for <paramref name="path"/>.</summary>
    public OssAuthenticationException(string driverName, string operation, string? path, OssServiceException inner)
        : base(driverName, $"{operation}{(path is null ? "" : " " + path)} failed: OSS rejected the request's authentication ({inner.Message}); check accesskeyid, accesskeysecret, securitytoken, region and the clock", inner)
    {
        Path = path;
    }
}

/// <summary>Maps OSS errors to the contract's exceptions.</summary>
internal static class OssErrors
{
    // Codes that mean "who you are or how you signed is wrong"; none is worth retrying.
    private static readonly HashSet<string> AuthenticationCodes = new(StringComparer.Ordinal)
    {
        "AccessDenied", "SignatureDoesNotMatch", "InvalidAccessKeyId", "RequestTimeTooSkewed", "InvalidSecurityToken", "SecurityTokenExpired",
    };

    /// <summary>Reads OSS's error XML (HEAD answers carry none: the status decides the code).</summary>
    public static OssServiceException Parse(HttpStatusCode status, string? body, string? requestIdHeader)
    {
        string? code = null, message = null, requestId = requestIdHeader;
        if (!string.IsNullOrWhiteSpace(body))
        {
            try
            {
                var root = XDocument.Parse(body).Root;
                code = root?.Element("Code")?.Value;
                message = root?.Element("Message")?.Value;
                requestId = root?.Element("RequestId")?.Value ?? requestId;
            }
            catch (System.Xml.XmlException)
            {
                message = body.Length > 200 ? body[..200] : body;
            }
        }

        code ??= status switch
        {
            HttpStatusCode.NotFound => "NoSuchKey",
            HttpStatusCode.Forbidden => "AccessDenied",
            _ => status.ToString(),
        };
        return new OssServiceException(status, code, message ?? "(no message)", requestId);
    }

    /// <summary>The contract's exception for <paramref name="error"/> during <paramref name="operation"/> on <paramref name="path"/>.</summary>
    public static StorageDriverException Map(string driverName, string operation, string? path, OssServiceException error)
    {
        if (error.Code == "NoSuchKey" && path is not null)
        {
            return DriverErrors.PathNotFound(driverName, path, error);
        }

        if (AuthenticationCodes.Contains(error.Code))
        {
            return new OssAuthenticationException(driverName, operation, path, error);
        }

        var transient = (int)error.Status >= 500 || error.Status is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout
            || error.Code is "RequestTimeout" or "ServiceUnavailable" or "InternalError";
        return DriverErrors.Backend(driverName, operation, path, error, transient);
    }

    /// <summary>The contract's exception for a failure below HTTP (connection refused, reset, timeout).</summary>
    public static StorageDriverException Network(string driverName, string operation, string? path, Exception error) =>
        DriverErrors.Backend(driverName, operation, path, error, isTransient: true);
}
