namespace Registry.Storage;

/// <summary>A driver parameter is missing, of the wrong type, out of range or unknown.</summary>
public sealed class InvalidParameterException : StorageDriverException
{
    /// <summary>Creates the error; <paramref name="shownValue"/> is already masked when the parameter is secret.</summary>
    public InvalidParameterException(string driverName, string parameter, string? shownValue, string expected)
        : base(driverName, shownValue is null
            ? $"parameter '{parameter}' is required: expected {expected}"
            : $"parameter '{parameter}' has invalid value {shownValue}: expected {expected}")
    {
        Parameter = parameter;
        Expected = expected;
    }

    /// <summary>The parameter's name.</summary>
    public string Parameter { get; }

    /// <summary>What would have been accepted.</summary>
    public string Expected { get; }
}
