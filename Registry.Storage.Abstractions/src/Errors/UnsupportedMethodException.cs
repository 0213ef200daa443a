namespace Registry.Storage;

/// <summary>The driver does not implement the operation (distribution's <c>ErrUnsupportedMethod</c>); its capabilities say so up front.</summary>
public sealed class UnsupportedMethodException : StorageDriverException
{
    /// <summary>Creates the error for <paramref name="method"/>.</summary>
    public UnsupportedMethodException(string driverName, string method)
        : base(driverName, $"unsupported method: {method}")
    {
        Method = method;
    }

    /// <summary>The operation that is not supported.</summary>
    public string Method { get; }
}
