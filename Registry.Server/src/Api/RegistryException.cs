namespace Registry.Server.Api;

/// <summary>A request the registry refuses with one of the spec's error codes (written as the spec's JSON body).</summary>
internal sealed class RegistryException : Exception
{
    public RegistryException(ErrorCode code, string? detail = null, int? status = null)
        : base(detail is null ? code.Message : $"{code.Message}: {detail}")
    {
        Code = code;
        Detail = detail;
        Status = status ?? code.Status;
    }

    public RegistryException()
        : this(ErrorCode.Unknown)
    {
    }

    public RegistryException(string message)
        : this(ErrorCode.Unknown, message)
    {
    }

    public RegistryException(string message, Exception innerException)
        : base(message, innerException)
    {
        Code = ErrorCode.Unknown;
        Status = 500;
    }

    public ErrorCode Code { get; }

    public string? Detail { get; }

    public int Status { get; }

    /// <summary>Headers to add to the error response (for example <c>Range</c> on a 416).</summary>
    public IDictionary<string, string> Headers { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
}
