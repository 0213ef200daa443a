namespace Registry.Storage;

/// <summary>
/// Creates drivers of one kind. A plugin exposes public, parameterless-constructible types
/// implementing this interface; the host finds and registers each (the .NET counterpart of
/// distribution's <c>factory.Register</c> in <c>init</c>).
/// </summary>
public interface IStorageDriverFactory
{
    /// <summary>The name configuration selects the driver by (for example <c>s3</c>).</summary>
    string Name { get; }

    /// <summary>Other names the driver answers to (for example <c>s3aws</c>).</summary>
    IReadOnlyList<string> Aliases => [];

    /// <summary>The parameters the driver understands, so tools can describe and validate them without creating a driver.</summary>
    IReadOnlyList<DriverParameterInfo> Parameters => [];

    /// <summary>Creates a driver from its configuration.</summary>
    /// <exception cref="InvalidParameterException">A parameter is missing or invalid.</exception>
    ValueTask<IStorageDriver> CreateAsync(DriverParameters parameters, CancellationToken cancellationToken = default);
}
